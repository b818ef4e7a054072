/*
 * kefu_blas: a tiny N-API addon that exposes OpenBLAS's cblas_sgemm on Float32Arrays.
 *
 * Exports:
 *   sgemm(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc) -> undefined
 *     Row-major C = alpha * op(A) * op(B) + beta * C, exactly cblas_sgemm(CblasRowMajor, ...).
 *     Every dimension and leading dimension is checked against the arrays' lengths before the
 *     call, so a wrong shape throws a RangeError instead of reading or writing out of bounds.
 *   setThreads(n)  -> undefined   openblas_set_num_threads(n), n >= 1
 *   getThreads()   -> number      openblas_get_num_threads()
 *
 * It does not allocate, copy or keep references: the call is synchronous on the JS thread and
 * works in place on the arrays' memory. Plain C against node_api.h (N-API version 8), no
 * node-addon-api. Built by scripts/build-native.mjs through binding.gyp.
 */
#define NAPI_VERSION 8
#include <cblas.h>
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>

/* OpenBLAS extensions; declared here too in case cblas.h is a reference (netlib) header. */
extern void openblas_set_num_threads(int num_threads);
extern int openblas_get_num_threads(void);

#define CHECK(env, call)                                   \
  do {                                                     \
    if ((call) != napi_ok) {                               \
      napi_throw_error((env), NULL, "kefu_blas: " #call);  \
      return NULL;                                         \
    }                                                      \
  } while (0)

static napi_value throw_range(napi_env env, const char *message) {
  napi_throw_range_error(env, NULL, message);
  return NULL;
}

static int get_bool(napi_env env, napi_value value, int *out) {
  bool b = false;
  if (napi_get_value_bool(env, value, &b) != napi_ok) {
    napi_throw_type_error(env, NULL, "kefu_blas: transA/transB must be booleans");
    return 0;
  }
  *out = b ? 1 : 0;
  return 1;
}

static int get_dim(napi_env env, napi_value value, const char *name, int64_t *out) {
  double d = 0;
  char message[96];
  if (napi_get_value_double(env, value, &d) != napi_ok || !(d >= 0) || d > 2147483647.0 ||
      d != (double)(int64_t)d) {
    snprintf(message, sizeof message, "kefu_blas: %s must be an integer in [0, 2^31)", name);
    napi_throw_range_error(env, NULL, message);
    return 0;
  }
  *out = (int64_t)d;
  return 1;
}

static int get_f32(napi_env env, napi_value value, const char *name, float **data, int64_t *length) {
  bool is_typed = false;
  napi_typedarray_type type;
  size_t len = 0;
  void *ptr = NULL;
  char message[96];
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, value, &type, &len, &ptr, NULL, NULL) != napi_ok ||
      type != napi_float32_array) {
    snprintf(message, sizeof message, "kefu_blas: %s must be a Float32Array", name);
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  *data = (float *)ptr;
  *length = (int64_t)len;
  return 1;
}

/* Elements a row-major rows×cols matrix with leading dimension ld needs; ld >= max(1, cols). */
static int fits(int64_t rows, int64_t cols, int64_t ld, int64_t length) {
  if (ld < (cols > 1 ? cols : 1)) return 0;
  if (rows == 0 || cols == 0) return 1;
  return (rows - 1) * ld + cols <= length;
}

static napi_value sgemm(napi_env env, napi_callback_info info) {
  size_t argc = 13;
  napi_value argv[13];
  int trans_a, trans_b;
  int64_t m, n, k, lda, ldb, ldc, len_a, len_b, len_c;
  double alpha, beta;
  float *a, *b, *c;

  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 13) return throw_range(env, "kefu_blas: sgemm takes 13 arguments");
  if (!get_bool(env, argv[0], &trans_a) || !get_bool(env, argv[1], &trans_b)) return NULL;
  if (!get_dim(env, argv[2], "M", &m) || !get_dim(env, argv[3], "N", &n) ||
      !get_dim(env, argv[4], "K", &k))
    return NULL;
  if (napi_get_value_double(env, argv[5], &alpha) != napi_ok ||
      napi_get_value_double(env, argv[10], &beta) != napi_ok) {
    napi_throw_type_error(env, NULL, "kefu_blas: alpha and beta must be numbers");
    return NULL;
  }
  if (!get_f32(env, argv[6], "A", &a, &len_a) || !get_dim(env, argv[7], "lda", &lda) ||
      !get_f32(env, argv[8], "B", &b, &len_b) || !get_dim(env, argv[9], "ldb", &ldb) ||
      !get_f32(env, argv[11], "C", &c, &len_c) || !get_dim(env, argv[12], "ldc", &ldc))
    return NULL;

  /* op(A) is M×K: A stored M×K, or K×M when transposed. op(B) is K×N: B stored K×N or N×K. */
  if (!(trans_a ? fits(k, m, lda, len_a) : fits(m, k, lda, len_a)))
    return throw_range(env, "kefu_blas: A is too short for M, K and lda");
  if (!(trans_b ? fits(n, k, ldb, len_b) : fits(k, n, ldb, len_b)))
    return throw_range(env, "kefu_blas: B is too short for K, N and ldb");
  if (!fits(m, n, ldc, len_c)) return throw_range(env, "kefu_blas: C is too short for M, N and ldc");
  if (m == 0 || n == 0) return NULL;

  if (k == 0) {
    /* Nothing to multiply: C = beta * C (beta 0 overwrites, so NaNs in C do not survive). */
    for (int64_t i = 0; i < m; i++)
      for (int64_t j = 0; j < n; j++) c[i * ldc + j] = beta == 0 ? 0.0f : (float)(beta * c[i * ldc + j]);
    return NULL;
  }

  cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans,
              (int)m, (int)n, (int)k, (float)alpha, a, (int)lda, b, (int)ldb, (float)beta, c, (int)ldc);
  return NULL;
}

static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int64_t threads = 0;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || !get_dim(env, argv[0], "threads", &threads)) return NULL;
  if (threads < 1 || threads > 1024) return throw_range(env, "kefu_blas: threads must be in [1, 1024]");
  openblas_set_num_threads((int)threads);
  return NULL;
}

static napi_value get_threads(napi_env env, napi_callback_info info) {
  napi_value result;
  (void)info;
  CHECK(env, napi_create_int32(env, openblas_get_num_threads(), &result));
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"sgemm", NULL, sgemm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"getThreads", NULL, get_threads, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  CHECK(env, napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
