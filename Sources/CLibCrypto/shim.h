// The system's OpenSSL libcrypto (libssl-dev): only its EVP digest interface, for SHA-256.
#ifndef RELDASH_CLIBCRYPTO_SHIM_H
#define RELDASH_CLIBCRYPTO_SHIM_H

#include <openssl/evp.h>

#endif
