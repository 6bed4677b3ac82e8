/// One decoded line of a watch stream: `{"type": "...", "object": {...}}`. The object is decoded
/// straight into the caller's type (or into a `Status` for ERROR), so each line is decoded once:
/// the JSON module's decoder reads it from the line's bytes (validated into a tape, no `JSONValue`
/// tree), whichever order the two members come in.
struct WatchLine<Object: Decodable & Sendable>: Decodable, Sendable {
    enum Payload: Sendable {
        case added(Object), modified(Object), deleted(Object), bookmark(resourceVersion: String?)
        case error(Status)
    }

    var payload: Payload

    private enum CodingKeys: String, CodingKey { case type, object }

    private struct BookmarkObject: Decodable {
        struct Metadata: Decodable { var resourceVersion: String? }
        var metadata: Metadata?
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "ADDED": payload = .added(try container.decode(Object.self, forKey: .object))
        case "MODIFIED": payload = .modified(try container.decode(Object.self, forKey: .object))
        case "DELETED": payload = .deleted(try container.decode(Object.self, forKey: .object))
        case "BOOKMARK":
            // A bookmark's object carries only metadata.resourceVersion; do not force the caller's type on it.
            let object = try container.decodeIfPresent(BookmarkObject.self, forKey: .object)
            payload = .bookmark(resourceVersion: object?.metadata?.resourceVersion)
        case "ERROR": payload = .error(try container.decode(Status.self, forKey: .object))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "unknown watch event type '\(type)'")
        }
    }
}
