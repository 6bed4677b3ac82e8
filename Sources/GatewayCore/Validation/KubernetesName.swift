/// Kubernetes naming rules the gateway checks before creating anything.
public enum KubernetesName {
    /// The longest DNS-1123 label (names of pods' derived objects, label values).
    public static let maxLabelLength = 63

    /// A DNS-1123 label: lowercase letters, digits and `-`, starting and ending with a letter or digit,
    /// at most 63 characters.
    public static func isDNSLabel(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= maxLabelLength else { return false }
        func alnum(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 48 && b <= 57) }
        guard let first = bytes.first, let last = bytes.last, alnum(first), alnum(last) else { return false }
        return bytes.allSatisfy { alnum($0) || $0 == 45 }
    }
}
