#!/usr/bin/env node
/**
 * Builds the optional OpenBLAS addon (native/kefu_blas.c → build/Release/kefu_blas.node).
 * `npm install` runs it as the package's install script. It never fails the install: when the
 * OpenBLAS headers or library are missing, node-gyp cannot be found, the compile fails or the built
 * addon does not load, it prints one line and exits 0, and kefu uses its portable WebAssembly
 * kernels.
 *
 *   node scripts/build-native.mjs                 build (quiet; KEFU_NATIVE_VERBOSE=1 shows node-gyp)
 *   node scripts/build-native.mjs --include-dirs  print OpenBLAS include dirs (binding.gyp calls this)
 *   node scripts/build-native.mjs --libs          print linker flags for OpenBLAS (binding.gyp calls this)
 *
 * Where OpenBLAS is looked for: $KEFU_OPENBLAS_INCLUDE / $KEFU_OPENBLAS_LIB, then
 * `pkg-config openblas`, then common Debian/Fedora/Homebrew/`make install` paths.
 * KEFU_SKIP_NATIVE=1 skips the build. A failed build's log is left in build/native-build.log.
 * It does not download anything (headers come from the local Node install when npm has no nodedir).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FALLBACK =
  'kefu: OpenBLAS not found, using the portable WebAssembly kernels (apt-get install libopenblas-dev for ~1.8x faster training)';
const multiarch = `${arch() === 'arm64' ? 'aarch64' : arch() === 'x64' ? 'x86_64' : arch()}-linux-gnu`;

const INCLUDE_CANDIDATES = [
  `/usr/include/${multiarch}/openblas-pthread`,
  `/usr/include/${multiarch}/openblas-openmp`,
  `/usr/include/${multiarch}/openblas-serial`,
  '/usr/include/openblas',
  '/usr/local/include/openblas',
  '/usr/local/include',
  '/opt/OpenBLAS/include',
  '/opt/homebrew/opt/openblas/include',
  '/usr/local/opt/openblas/include',
  '/usr/include',
];
const LIB_CANDIDATES = [
  `/usr/lib/${multiarch}/openblas-pthread`,
  `/usr/lib/${multiarch}/openblas-openmp`,
  `/usr/lib/${multiarch}/openblas-serial`,
  `/usr/lib/${multiarch}`,
  '/usr/lib64',
  '/usr/lib',
  '/usr/local/lib',
  '/opt/OpenBLAS/lib',
  '/opt/homebrew/opt/openblas/lib',
  '/usr/local/opt/openblas/lib',
];
const LIB_NAMES = ['libopenblas.so', 'libopenblas.dylib', 'libopenblas.a'];

function pkgConfig(flag) {
  const result = spawnSync('pkg-config', [flag, 'openblas'], { encoding: 'utf8' });
  if (result.status !== 0 || typeof result.stdout !== 'string') return [];
  return result.stdout.split(/\s+/).filter(Boolean);
}

/** { includeDir, libDir } of an OpenBLAS with cblas.h, or undefined. */
export function findOpenBlas() {
  const env = process.env;
  const includes = [
    env.KEFU_OPENBLAS_INCLUDE,
    ...pkgConfig('--cflags-only-I').map((flag) => flag.slice(2)),
    ...INCLUDE_CANDIDATES,
  ].filter(Boolean);
  const libs = [
    env.KEFU_OPENBLAS_LIB,
    ...pkgConfig('--libs-only-L').map((flag) => flag.slice(2)),
    ...LIB_CANDIDATES,
  ].filter(Boolean);
  const includeDir = includes.find(
    (dir) => existsSync(join(dir, 'cblas.h')) && existsSync(join(dir, 'openblas_config.h')),
  );
  const libDir = libs.find((dir) => LIB_NAMES.some((name) => existsSync(join(dir, name))));
  return includeDir && libDir
    ? { includeDir: includeDir.replace(/\/$/, ''), libDir: libDir.replace(/\/$/, '') }
    : undefined;
}

/** Path of a node-gyp.js we can run with this Node, or undefined. */
function findNodeGyp() {
  const candidates = [process.env.npm_config_node_gyp];
  if (process.env.npm_execpath) {
    candidates.push(
      join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    );
  }
  candidates.push(
    join(
      dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  );
  try {
    candidates.push(createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not a local dependency; fine
  }
  return candidates.find((path) => path && existsSync(path));
}

function fallback(log) {
  if (log) {
    mkdirSync(join(root, 'build'), { recursive: true });
    writeFileSync(join(root, 'build', 'native-build.log'), log);
  }
  rmSync(join(root, 'build', 'Release', 'kefu_blas.node'), { force: true });
  console.log(FALLBACK);
  process.exit(0);
}

function build() {
  if (process.env.KEFU_SKIP_NATIVE === '1') {
    console.log('kefu: KEFU_SKIP_NATIVE=1, using the portable kernels');
    return;
  }
  const blas = findOpenBlas();
  const nodeGyp = findNodeGyp();
  if (!blas || !nodeGyp) fallback();

  const args = [nodeGyp, 'rebuild'];
  // Without a configured nodedir node-gyp downloads headers; use the running Node's own when present.
  const prefix = resolve(dirname(process.execPath), '..');
  if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) {
    args.push(`--nodedir=${prefix}`);
  }
  const verbose = process.env.KEFU_NATIVE_VERBOSE === '1';
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    stdio: verbose ? 'inherit' : 'pipe',
    env: { ...process.env, KEFU_OPENBLAS_INCLUDE: blas.includeDir, KEFU_OPENBLAS_LIB: blas.libDir },
  });
  const log = `${result.stdout ?? ''}\n${result.stderr ?? ''}\n${result.error ?? ''}`;
  if (result.status !== 0) fallback(log);

  // The addon must load and multiply here (a missing shared library only shows at load time).
  const check = spawnSync(
    process.execPath,
    [
      '-e',
      `const b = require(${JSON.stringify(join(root, 'build', 'Release', 'kefu_blas.node'))});
       const c = new Float32Array(1);
       b.sgemm(false, false, 1, 1, 2, 1, new Float32Array([2, 3]), 2, new Float32Array([4, 5]), 1, 0, c, 1);
       if (c[0] !== 23) throw new Error('sgemm gave ' + c[0]);`,
    ],
    { encoding: 'utf8' },
  );
  if (check.status !== 0) fallback(`${log}\nload check failed:\n${check.stderr}`);
  console.log(`kefu: built the OpenBLAS kernels (${blas.libDir})`);
}

const mode = process.argv[2];
if (mode === '--include-dirs' || mode === '--libs') {
  const blas = findOpenBlas();
  if (!blas) {
    console.error(FALLBACK);
    process.exit(1);
  }
  console.log(
    mode === '--include-dirs' ? blas.includeDir : `-L${blas.libDir} -Wl,-rpath,${blas.libDir} -lopenblas`,
  );
} else {
  build();
}
