// A throwaway certificate authority and a server certificate for the simulated API server.
//
// FOR TESTS AND DEV MODE ONLY. The private keys below are public (they are in this source file), so
// anything signed by this CA must never be trusted outside a test or a developer's laptop.
//
// Made once (2026-11-25) with OpenSSL 3.0 (P-256 keys, 20-year validity):
//   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem \
//     -days 7305 -subj "/CN=KubeSimulator Development CA" \
//     -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
//   openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key -out server.csr -subj "/CN=localhost"
//   printf "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nbasicConstraints=CA:FALSE\n\
//   keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n" > ext.cnf
//   openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 7300 -extfile ext.cnf

/// The embedded development PEMs (see the comment at the top of this file).
enum DevelopmentCertificates {
    /// The CA certificate clients trust to talk to the simulator (`certificate-authority-data`).
    static let certificateAuthorityPEM = """
-----BEGIN CERTIFICATE-----
MIIBszCCAVmgAwIBAgIUYdcJYMbd86KvR9bFz7slXzgU5JYwCgYIKoZIzj0EAwIw
JzElMCMGA1UEAwwcS3ViZVNpbXVsYXRvciBEZXZlbG9wbWVudCBDQTAeFw0yNjEx
MjUxMjMyNDZaFw00NjExMjUxMjMyNDZaMCcxJTAjBgNVBAMMHEt1YmVTaW11bGF0
b3IgRGV2ZWxvcG1lbnQgQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATQ5zj+
wEh+P5xxhcpwYQi1oJ/zMXZk4X70dQPZKozts/pXbuWHSsBqzyLlITNbXkVYvdc7
Tf/Ac0uO9J5LqZCoo2MwYTAdBgNVHQ4EFgQUU2dS3dETV3LM2ZBnrrExZiC0nnow
HwYDVR0jBBgwFoAUU2dS3dETV3LM2ZBnrrExZiC0nnowDwYDVR0TAQH/BAUwAwEB
/zAOBgNVHQ8BAf8EBAMCAQYwCgYIKoZIzj0EAwIDSAAwRQIgXHtQFIupUF9S1TtG
KM/PlDjhOEL9/ct20hjvB6CcfVcCIQCYarocfBWV8ye0aJF9aRIuXPQ0vLOSalPS
s1glo968KA==
-----END CERTIFICATE-----
"""

    /// The server certificate (SANs 127.0.0.1, ::1, localhost), signed by the CA above.
    static let serverCertificatePEM = """
-----BEGIN CERTIFICATE-----
MIIB4DCCAYWgAwIBAgIUVy+5E/xTJXtCFqyaoOi88tCwZekwCgYIKoZIzj0EAwIw
JzElMCMGA1UEAwwcS3ViZVNpbXVsYXRvciBEZXZlbG9wbWVudCBDQTAeFw0yNjEx
MjUxMjMyNDZaFw00NjExMjAxMjMyNDZaMBQxEjAQBgNVBAMMCWxvY2FsaG9zdDBZ
MBMGByqGSM49AgEGCCqGSM49AwEHA0IABGl+WtwfAklKVkSONjxTHc7LrP8acL11
VpHWCIL/dHVnP5DniOpyhzoGpy2OEQOQT2d2QG/1iyIL/MKvhAJPWQqjgaEwgZ4w
LAYDVR0RBCUwI4cEfwAAAYcQAAAAAAAAAAAAAAAAAAAAAYIJbG9jYWxob3N0MAkG
A1UdEwQCMAAwDgYDVR0PAQH/BAQDAgWgMBMGA1UdJQQMMAoGCCsGAQUFBwMBMB0G
A1UdDgQWBBSsSKjFyBb964xnpulwJ4buZYcqdzAfBgNVHSMEGDAWgBRTZ1Ld0RNX
cszZkGeusTFmILSeejAKBggqhkjOPQQDAgNJADBGAiEAhsPzqSgo1xwazMzjgHFh
ei6gJpwip5DnWUl+qa/BwUkCIQC310sKwPdHa5uWSEv5jTToqCp33o1RMqCro2Lw
uexlnQ==
-----END CERTIFICATE-----
"""

    /// The server certificate's private key (PKCS#8, P-256). Public on purpose: tests only.
    static let serverPrivateKeyPEM = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgTM19R7WFYkz7IAHu
I3QXSVRp5JaTSztDyrcV0PYlEGihRANCAARpflrcHwJJSlZEjjY8Ux3Oy6z/GnC9
dVaR1giC/3R1Zz+Q54jqcoc6BqctjhEDkE9ndkBv9YsiC/zCr4QCT1kK
-----END PRIVATE KEY-----
"""
}
