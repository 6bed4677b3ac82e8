import Foundation

/// Base64url without padding (RFC 4648 §5, as JWS uses it).
public enum Base64URL {
    /// Encodes bytes as base64url, without `=` padding.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        var text = Data(bytes).base64EncodedString()
        while text.last == "=" { text.removeLast() }
        return String(
            text.map { character in
                switch character {
                case "+": "-"
                case "/": "_"
                default: character
                }
            })
    }

    /// Decodes unpadded base64url; `nil` when the text has padding, characters outside the
    /// base64url alphabet, an impossible length, or non-zero unused bits (so each byte string has
    /// exactly one accepted encoding).
    public static func decode(_ text: some StringProtocol) -> Data? {
        var standard = ""
        standard.reserveCapacity(text.utf8.count + 3)
        for character in text.unicodeScalars {
            switch character {
            case "A"..."Z", "a"..."z", "0"..."9": standard.unicodeScalars.append(character)
            case "-": standard.append("+")
            case "_": standard.append("/")
            default: return nil
            }
        }
        switch standard.utf8.count % 4 {
        case 1: return nil
        case 2: standard += "=="
        case 3: standard += "="
        default: break
        }
        guard let data = Data(base64Encoded: standard), encode(data) == text else { return nil }
        return data
    }
}
