/// HMAC (libcrypto) and password-hash verification (libcrypt's `crypt_r`).
public enum Cryptography {}
