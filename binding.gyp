{
  "targets": [
    {
      "target_name": "kefu_blas",
      "sources": ["native/kefu_blas.c"],
      "include_dirs": ["<!@(node scripts/build-native.mjs --include-dirs)"],
      "libraries": ["<!@(node scripts/build-native.mjs --libs)"],
      "cflags": ["-O2", "-Wall"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O2", "-Wall"] }
    }
  ]
}
