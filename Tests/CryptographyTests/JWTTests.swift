import Foundation
import JSON
import Testing
import Cryptography

@Suite struct JWTTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// The example token from jwt.io (made by another implementation).
    @Test func verifiesATokenFromAnotherImplementation() throws {
        let token =
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        let claims = try JWT.Verifier(secrets: ["your-256-bit-secret"]).verify(token, now: now)
        #expect(claims.subject == "1234567890")
        #expect(claims["name"] == "John Doe")
        #expect(claims["iat"] == .int(1_516_239_022))
        #expect(claims.issuedAt == Date(timeIntervalSince1970: 1_516_239_022))
    }

    /// A queue token shaped like BPG's, made with Python's hmac module (cases of BPG's
    /// `QueueTokenVerifierTest`: rotated secrets, `allowedQueues` as an array).
    @Test func verifiesAQueueTokenWithRotatedSecrets() throws {
        let token =
            "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJhZG1pbiIsInN1YiI6InF1ZXVlVG9rZW4xIiwiYWxsb3dlZFF1ZXVlcyI6WyJxYSIsInFiIiwicXVldWUxIl0sImlhdCI6MTcwMDAwMDAwMH0.Yioqw45ubqB_hSaj8rcxVjno9Tqkz2vFtHdaG1B6M3M"
        for secrets in [["secret1"], ["invalidSecret", "secret1"], ["secret1", "invalidSecret"]] {
            let claims = try JWT.Verifier(secrets: secrets).verify(token, now: now)
            #expect(claims.issuer == "admin")
            #expect(claims["allowedQueues"] == ["qa", "qb", "queue1"])
        }
        let error = try #require(throws: JWTError.self) { try JWT.Verifier(secrets: ["invalidSecret"]).verify(token, now: now) }
        #expect(error.code == .badSignature)
    }

    @Test func signedTokensVerifyAndDecode() throws {
        struct QueueClaims: Decodable {
            var iss: String
            var allowedQueues: [String]
        }
        let token = JWT.signHS256(
            claims: ["iss": "admin", "sub": "queueToken", "allowedQueues": ["poc"], "exp": .int(1_800_000_100), "ratio": 0.5],
            secret: Data("s3cret".utf8))
        #expect(token.split(separator: ".").count == 3)
        #expect(!token.contains("="))
        let claims = try JWT.Verifier(secrets: ["s3cret"]).verify(token, now: now)
        #expect(claims.subject == "queueToken")
        #expect(claims["ratio"] == 0.5)
        #expect(try claims.decode(QueueClaims.self).allowedQueues == ["poc"])
        #expect(claims.expiresAt == Date(timeIntervalSince1970: 1_800_000_100))
        // Deterministic: sorted keys.
        #expect(token == JWT.signHS256(
            claims: ["ratio": 0.5, "exp": .int(1_800_000_100), "allowedQueues": ["poc"], "sub": "queueToken", "iss": "admin"],
            secret: Data("s3cret".utf8)))
    }

    @Test func tamperedPayloadFails() throws {
        let token = JWT.signHS256(claims: ["allowedQueues": ["poc"]], secret: Data("k".utf8))
        let parts = token.split(separator: ".").map(String.init)
        let forged = Base64URL.encode(Data(#"{"allowedQueues":["prod"]}"#.utf8))
        let error = try #require(throws: JWTError.self) {
            try JWT.Verifier(secrets: ["k"]).verify([parts[0], forged, parts[2]].joined(separator: "."), now: now)
        }
        #expect(error.code == .badSignature)
        // A flipped signature character fails too.
        var signature = Array(parts[2])
        signature[5] = signature[5] == "A" ? "B" : "A"
        #expect(throws: JWTError.self) {
            try JWT.Verifier(secrets: ["k"]).verify([parts[0], parts[1], String(signature)].joined(separator: "."), now: now)
        }
    }

    @Test func expiryAndNotBeforeUseTheInjectedTimeAndLeeway() throws {
        let verifier = JWT.Verifier(secrets: ["k"], leeway: 30)
        func token(_ claims: [String: JSONValue]) -> String { JWT.signHS256(claims: claims, secret: Data("k".utf8)) }
        let t = now.timeIntervalSince1970

        let expired = try #require(throws: JWTError.self) {
            try verifier.verify(token(["exp": .double(t - 31)]), now: now)
        }
        #expect(expired.code == .expired)
        #expect(expired.description.contains("expired"))
        _ = try verifier.verify(token(["exp": .double(t - 29)]), now: now)  // within leeway
        _ = try verifier.verify(token(["exp": .double(t + 3600)]), now: now)

        let early = try #require(throws: JWTError.self) { try verifier.verify(token(["nbf": .double(t + 31)]), now: now) }
        #expect(early.code == .notYetValid)
        _ = try verifier.verify(token(["nbf": .double(t + 29)]), now: now)

        let future = try #require(throws: JWTError.self) { try verifier.verify(token(["iat": .double(t + 600)]), now: now) }
        #expect(future.code == .notYetValid)

        let strict = JWT.Verifier(secrets: ["k"], leeway: 0)
        #expect(throws: JWTError.self) { try strict.verify(token(["exp": .double(t - 1)]), now: now) }

        let wrongType = try #require(throws: JWTError.self) { try verifier.verify(token(["exp": "tomorrow"]), now: now) }
        #expect(wrongType.code == .malformed)
    }

    @Test func algorithmNoneAndOthersAreRefused() throws {
        let payload = Base64URL.encode(Data(#"{"iss":"admin","allowedQueues":["prod"]}"#.utf8))
        for header in [#"{"alg":"none","typ":"JWT"}"#, #"{"alg":"HS512"}"#, #"{"alg":"RS256"}"#, #"{"alg":"hs256"}"#] {
            let encodedHeader = Base64URL.encode(Data(header.utf8))
            // Even a correct HMAC over the input is not enough when the header names another algorithm.
            let signature = Base64URL.encode(HMAC.sha256(key: Data("k".utf8), message: Data("\(encodedHeader).\(payload)".utf8)))
            for token in ["\(encodedHeader).\(payload).", "\(encodedHeader).\(payload).\(signature)"] {
                let error = try #require(throws: JWTError.self) { try JWT.Verifier(secrets: ["k"]).verify(token, now: now) }
                #expect(error.code == .unsupportedAlgorithm, "\(header)")
            }
        }
        let critical = Base64URL.encode(Data(#"{"alg":"HS256","crit":["exp"]}"#.utf8))
        let error = try #require(throws: JWTError.self) {
            try JWT.Verifier(secrets: ["k"]).verify("\(critical).\(payload).AAAA", now: now)
        }
        #expect(error.code == .unsupportedAlgorithm)
    }

    @Test(arguments: [
        "", "abc", "a.b", "a.b.c.d", "!!!.e30.AAAA",
        "e30.e30.AAAA",  // header without alg
        "W10.e30.AAAA",  // header is an array
    ])
    func malformedTokens(_ token: String) throws {
        let error = try #require(throws: JWTError.self) { try JWT.Verifier(secrets: ["k"]).verify(token, now: now) }
        #expect(error.code == .malformed)
    }

    @Test func payloadThatIsNotJSONIsMalformedEvenWhenSigned() throws {
        let token = JWT.signHS256(payload: Data("not json".utf8), secret: Data("k".utf8))
        let error = try #require(throws: JWTError.self) { try JWT.Verifier(secrets: ["k"]).verify(token, now: now) }
        #expect(error.code == .malformed)
    }

    @Test func noSecretsIsAConfigurationError() throws {
        let token = JWT.signHS256(claims: [:], secret: Data("k".utf8))
        let error = try #require(throws: JWTError.self) { try JWT.Verifier(secrets: [String]()).verify(token, now: now) }
        #expect(error.code == .noSecrets)
    }
}
