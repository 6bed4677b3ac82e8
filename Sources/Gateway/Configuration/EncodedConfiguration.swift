import Foundation

/// The forms a configuration file arrives in. BPG's Helm chart can ship it gzipped and base64-encoded
/// (its `encodedConfig` value, mounted as a file that BPG's start script gunzips); the gateway reads
/// that file directly, as well as a plain gzip file and plain YAML or JSON.
public enum EncodedConfiguration {
    /// How the file was encoded, for the startup log.
    public enum Form: String, Sendable {
        case plain, gzip, base64Gzip = "base64+gzip"
    }

    /// The configuration document inside `data`: gunzipped when it is gzip, base64-decoded and
    /// gunzipped when it is base64 text of gzip, unchanged otherwise.
    public static func decode(_ data: Data) throws(Gunzip.Failure) -> (document: Data, form: Form) {
        if Gunzip.isGzip(data) {
            return (try Gunzip.decompress(data), .gzip)
        }
        // Base64 of gzip always starts with "H4sI" (0x1F 0x8B 0x08); YAML and JSON never do.
        let text = data.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        guard text.starts(with: Array("H4sI".utf8)),
            let decoded = Data(base64Encoded: Data(text), options: .ignoreUnknownCharacters)
        else {
            return (data, .plain)
        }
        return (try Gunzip.decompress(decoded), .base64Gzip)
    }
}
