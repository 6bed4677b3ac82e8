import Foundation
import Testing

@testable import Gateway

/// BPG's Helm chart ships the configuration gzipped and base64-encoded (`encodedConfig`); the
/// gateway reads that form, plain gzip and plain YAML, and rejects damaged input without crashing.
/// The encoded fixtures were made with Python's gzip and zlib modules; zlib decompresses them.
struct EncodedConfigurationTests {
    static let yaml = """
        applicationContextPath: /skatev2
        allowedUsers: ['*']
        sparkImages:
          - name: apache/spark:3.5.0
            types: [Java, Scala]
            version: '3.5.0'
        queues:
          - name: dev
        sparkClusters:
          - id: c01
            weight: 100
            masterUrl: https://kube.example.com
            caCertDataSOPS: plaintext:abc
            userTokenSOPS: plaintext:token-0123456789
            sparkVersions: ['3.5.0']
            queues: [dev]

        """

    /// `gzip.compress(yaml, 9)`: dynamic Huffman blocks.
    static let level9 = "H4sIAOWLEWsC/12QPVODQBCGe37Fdsw4ho/EGN0WG23MDMYmk2Jz7ASGA05uIfHfC4uNtvc+9+4+S87ZypBUXZt1rfBN9iQlQuxrEh7XAVnbXbk4eO49wjG8C0+Bd9TXrw1d2GMAsIKWGkYgR6bkWFPcRNsomUIA+XY8f32jke4hN2TppME4VU5zEUKFw+Br4OFvZcHjMi2zg5d5BQ2rAsEkqbZcubqUgpAmy7iGZvDQW4RSxHmM43o4c8Q3apzlyHSNcoYy7uWFhPL3fY7gLFV6AKSzUWKYnD+6mtv/gMyPqyRdbx62j7unZ6V1zc9FSS+1SC2qv2ZwnIROwQ+RIrpEdQEAAA=="
    /// `gzip.compress(yaml, 0)`: one stored block.
    static let stored = "H4sIAOWLEWsA/wF1AYr+YXBwbGljYXRpb25Db250ZXh0UGF0aDogL3NrYXRldjIKYWxsb3dlZFVzZXJzOiBbJyonXQpzcGFya0ltYWdlczoKICAtIG5hbWU6IGFwYWNoZS9zcGFyazozLjUuMAogICAgdHlwZXM6IFtKYXZhLCBTY2FsYV0KICAgIHZlcnNpb246ICczLjUuMCcKcXVldWVzOgogIC0gbmFtZTogZGV2CnNwYXJrQ2x1c3RlcnM6CiAgLSBpZDogYzAxCiAgICB3ZWlnaHQ6IDEwMAogICAgbWFzdGVyVXJsOiBodHRwczovL2t1YmUuZXhhbXBsZS5jb20KICAgIGNhQ2VydERhdGFTT1BTOiBwbGFpbnRleHQ6YWJjCiAgICB1c2VyVG9rZW5TT1BTOiBwbGFpbnRleHQ6dG9rZW4tMDEyMzQ1Njc4OQogICAgc3BhcmtWZXJzaW9uczogWyczLjUuMCddCiAgICBxdWV1ZXM6IFtkZXZdCpEiukR1AQAA"
    /// zlib with `Z_FIXED` and a gzip wrapper: fixed Huffman codes.
    static let fixed = "H4sIAAAAAAAEA0ssKMjJTE4syczPc87PK0mtKAlILMmwUtAvzk4sSS0z4krMyckvT00JLU4tKrZSiFbXUo/lKi5ILMr2zE1MTy224lJQ0FXIS8xNtVJILEhMzkjVB8taGeuZ6hkAJRUUSioLUkFavRLLEnUUgpMTcxJjwRJlQCOB9lopqIMVq3MVlqaWohqZkloGsc05p7S4BOQEsGRmipVCsoEh2JTy1Mz0jBIrBUMDiHW5iSCFoUU5VgoZJSUFxVb6+tmlSal6qRWJuQU5qXrJ+blgdcmJzqlFJS6JJYnB/gHBVgoFOYmZ4ACwSkxKBqsoBfo5JD87NQ9dQQlIUNfA0MjYxNTM3MISrBrszDCIl8AhBfEUxKtQnylEAz0UywUAkSK6RHUBAAA="

    @Test(arguments: [("dynamic", level9), ("stored", stored), ("fixed", fixed)])
    func base64OfGzipIsReadAsBPGsChartShipsIt(_ kind: String, _ encoded: String) throws {
        // As mounted from a ConfigMap: text, possibly wrapped and ending in a newline.
        var wrapped = ""
        for (index, character) in encoded.enumerated() {
            if index > 0, index % 76 == 0 { wrapped.append("\n") }
            wrapped.append(character)
        }
        let (document, form) = try EncodedConfiguration.decode(Data((wrapped + "\n").utf8))
        #expect(form == .base64Gzip, "\(kind)")
        #expect(String(decoding: document, as: UTF8.self) == Self.yaml, "\(kind)")
    }

    @Test func plainGzipAndPlainYAML() throws {
        let gzip = try #require(Data(base64Encoded: Self.level9))
        let (document, form) = try EncodedConfiguration.decode(gzip)
        #expect(form == .gzip)
        #expect(String(decoding: document, as: UTF8.self) == Self.yaml)
        let plain = try EncodedConfiguration.decode(Data(Self.yaml.utf8))
        #expect(plain.form == .plain && plain.document == Data(Self.yaml.utf8))
    }

    @Test func longerDocumentsWithBackReferencesAcrossCopies() throws {
        // 60 copies of BPG's sample config with the cluster id renumbered, gzip -9: long matches
        // reaching back across copies.
        let url = try #require(Bundle.module.url(forResource: "Fixtures/bpg-config-repeated.yaml.gz", withExtension: nil))
        let (document, form) = try EncodedConfiguration.decode(try Data(contentsOf: url))
        #expect(form == .gzip)
        // BPG's sample config, which the configuration tests read too.
        let single = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../GatewayCoreTests/Fixtures/bpg-config.yaml").standardized
        let text = try String(contentsOf: single, encoding: .utf8)
        let expected = (0..<60).map { text.replacingOccurrences(of: "c01", with: String(format: "c%02d", $0)) }.joined()
        #expect(document == Data(expected.utf8))
    }

    @Test func damagedInputIsAnErrorNeverACrash() throws {
        let gzip = try #require(Data(base64Encoded: Self.level9))
        var flipped = gzip
        flipped[40] ^= 0x5A
        #expect(throws: Gunzip.Failure.self) { try EncodedConfiguration.decode(flipped) }
        for length in stride(from: 2, to: gzip.count, by: 7) {
            #expect(throws: Gunzip.Failure.self) { try EncodedConfiguration.decode(gzip.prefix(length)) }
        }
        var wrongMethod = gzip
        wrongMethod[2] = 7
        #expect(throws: Gunzip.Failure.self) { try EncodedConfiguration.decode(wrongMethod) }
        // A bomb past the limit stops at the limit.
        #expect(throws: Gunzip.Failure.self) { try Gunzip.decompress(gzip, limit: 100) }
    }
}

