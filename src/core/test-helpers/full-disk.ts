/**
 * Test helper: a `WriteIo` that behaves like a disk which fills up (ENOSPC), runs out of quota
 * (EDQUOT) or fails (EIO) after `capacity` bytes — writing what still fits, then failing like
 * node:fs does (an Error with `code` and `syscall`). Real files are written, so leftovers can be
 * checked. Not for production use.
 */
import { nodeWriteIo, type WritableHandle, type WriteIo } from '../atomic-file.js';

export interface FullDiskOptions {
  /** Bytes accepted (over all files opened through this io) before writes fail. */
  capacity: number;
  code?: 'ENOSPC' | 'EDQUOT' | 'EIO';
  /** Fail in fsync instead of write once the capacity is reached (as NFS and quota often do). */
  onSync?: boolean;
}

export interface FullDisk extends WriteIo {
  /** Paths opened through this io, in order. */
  opened: string[];
}

const errnoError = (code: string, syscall: string, path: string) =>
  Object.assign(new Error(`${code}: simulated failure, ${syscall} '${path}'`), { code, syscall, path });

export function fullDisk(options: FullDiskOptions): FullDisk {
  const code = options.code ?? 'ENOSPC';
  let left = options.capacity;
  const opened: string[] = [];
  return {
    opened,
    async open(path: string): Promise<WritableHandle> {
      opened.push(path);
      const real = await nodeWriteIo.open(path);
      let over = false;
      return {
        async write(buffer, offset, length) {
          if (options.onSync) {
            left -= length;
            if (left < 0) over = true;
            return real.write(buffer, offset, length);
          }
          if (left <= 0) throw errnoError(code, 'write', path);
          const fits = Math.min(length, left);
          left -= fits;
          return real.write(buffer, offset, fits);
        },
        async sync() {
          if (over && options.onSync) throw errnoError(code, 'fsync', path);
          await real.sync();
        },
        close: () => real.close(),
      };
    },
  };
}
