/// A compiled route pattern such as `/spark/{id}/status` or `/logs/{path...}`.
struct RoutePattern: Sendable, Equatable, CustomStringConvertible {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        /// Matches the rest of the path, possibly empty, slashes included.
        case rest(String)
    }

    let segments: [Segment]
    let description: String

    /// Compiles `pattern`. Empty segments are ignored, so `/a//b/` equals `/a/b`.
    /// A `{name...}` segment anywhere but last is treated as a literal: it could never match.
    init(_ pattern: String) {
        description = pattern
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: true)
        segments = parts.enumerated().map { index, part in
            guard part.hasPrefix("{"), part.hasSuffix("}"), part.count > 2 else { return .literal(String(part)) }
            let inner = part.dropFirst().dropLast()
            if inner.hasSuffix("...") {
                let name = inner.dropLast(3)
                return index == parts.count - 1 && !name.isEmpty ? .rest(String(name)) : .literal(String(part))
            }
            return .parameter(String(inner))
        }
    }

    /// The parameters when `path` matches, else `nil`. The rest parameter keeps the path's own
    /// spelling (inner slashes included).
    func match(_ path: String) -> [String: String]? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        var parameters: [String: String] = [:]
        for (index, segment) in segments.enumerated() {
            switch segment {
            case .rest(let name):
                parameters[name] = index < parts.count ? String(path[parts[index].startIndex...]) : ""
                return parameters
            case .literal(let literal):
                guard index < parts.count, parts[index] == literal else { return nil }
            case .parameter(let name):
                guard index < parts.count else { return nil }
                parameters[name] = String(parts[index])
            }
        }
        return parts.count == segments.count ? parameters : nil
    }

    /// Orders patterns that match the same path: at the first differing segment a literal beats a
    /// parameter, which beats a rest parameter. `true` when `self` is more specific than `other`.
    func isMoreSpecific(than other: RoutePattern) -> Bool {
        for (mine, theirs) in zip(segments, other.segments) {
            let (a, b) = (Self.rank(mine), Self.rank(theirs))
            if a != b { return a < b }
        }
        return segments.count > other.segments.count
    }

    private static func rank(_ segment: Segment) -> Int {
        switch segment {
        case .literal: 0
        case .parameter: 1
        case .rest: 2
        }
    }
}
