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
    /// Whether the last segment is a rest parameter (then the path may have more segments).
    private let endsWithRest: Bool

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
        if case .rest = segments.last { endsWithRest = true } else { endsWithRest = false }
    }

    /// Splits a request path into the segments `match(_:in:)` takes (once per request, not per route).
    static func split(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    /// The parameters when `path` matches, else `nil`. The rest parameter keeps the path's own
    /// spelling (inner slashes included).
    func match(_ path: String) -> [String: String]? {
        match(Self.split(path), in: path)
    }

    /// `match(_:)` for a path already split by `split(_:)`. Cheap rejections come first (segment
    /// count, then literals compared as bytes) because every request tries every route.
    func match(_ parts: [Substring], in path: String) -> [String: String]? {
        if endsWithRest ? parts.count < segments.count - 1 : parts.count != segments.count { return nil }
        for (index, segment) in segments.enumerated() {
            guard case .literal(let literal) = segment else { continue }
            guard index < parts.count, parts[index].utf8.elementsEqual(literal.utf8) else { return nil }
        }
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
