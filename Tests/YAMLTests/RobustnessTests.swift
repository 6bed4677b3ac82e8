import Foundation
import Testing
import YAML

/// Broken input must give a `YAMLError`, never a crash, whatever the cut or corruption.
@Suite struct RobustnessTests {
    @Test(arguments: ["bpg-config.yaml", "kubeconfig.yaml", "emr-on-eks-values.yaml"])
    func everyTruncationParsesOrFailsCleanly(fixture: String) throws {
        let bytes = Array(try Fixture.text(fixture).utf8)
        var failures = 0
        for end in stride(from: 0, through: bytes.count, by: 3) {
            do {
                _ = try YAML.parse(Data(bytes[..<end]))
            } catch let error as YAMLError {
                failures += 1
                #expect(error.line >= 1, "\(error)")
            }
        }
        #expect(failures > 0)
    }

    @Test func randomByteCorruptionParsesOrFailsCleanly() throws {
        var bytes = Array(try Fixture.text("bpg-config.yaml").utf8)
        var generator = SplitMix64(seed: 0x5EED)
        let alphabet = Array("[]{}:,-?&*!|>'\"#%@`\t\n \u{0}é".utf8)
        var failures = 0
        for _ in 0..<400 {
            var mutated = bytes
            for _ in 0..<3 {
                let position = Int(generator.next() % UInt64(mutated.count))
                mutated[position] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
            }
            do {
                _ = try YAML.parse(Data(mutated))
            } catch is YAMLError {
                failures += 1
            }
            bytes = generator.next() % 8 == 0 ? mutated : bytes
        }
        #expect(failures > 0)
    }
}

/// A tiny deterministic generator, so failures reproduce.
private struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
