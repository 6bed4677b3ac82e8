import Foundation

/// An IP address, or an IPv4 CIDR block (`10.0.0.0/8`), that a peer address is matched against.
struct PeerAddressPattern: Sendable, Equatable {
    private enum Kind: Equatable {
        case exact(String)
        case ipv4Block(network: UInt32, mask: UInt32)
    }

    private let kind: Kind

    init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        if let slash = trimmed.firstIndex(of: "/") {
            guard let address = Self.ipv4(String(trimmed[..<slash])),
                let bits = Int(trimmed[trimmed.index(after: slash)...]), (0...32).contains(bits)
            else { return nil }
            let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << UInt32(32 - bits)
            kind = .ipv4Block(network: address & mask, mask: mask)
        } else {
            guard Self.ipv4(trimmed) != nil || trimmed.contains(":") else { return nil }
            kind = .exact(trimmed.lowercased())
        }
    }

    func matches(_ peer: String) -> Bool {
        switch kind {
        case .exact(let address):
            return peer.lowercased() == address || Self.unmappedIPv4(peer) == address
        case .ipv4Block(let network, let mask):
            guard let address = Self.ipv4(Self.unmappedIPv4(peer) ?? peer) else { return false }
            return address & mask == network
        }
    }

    /// `::ffff:10.1.2.3` → `10.1.2.3` (a dual-stack listener reports IPv4 peers this way).
    private static func unmappedIPv4(_ peer: String) -> String? {
        let prefix = "::ffff:"
        guard peer.lowercased().hasPrefix(prefix) else { return nil }
        return String(peer.dropFirst(prefix.count))
    }

    private static func ipv4(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard let octet = UInt8(part), part.count <= 3 else { return nil }
            value = value << 8 | UInt32(octet)
        }
        return value
    }
}
