/// Filters and paging for a list call.
public struct ListOptions: Sendable, Hashable {
    /// For example `spark-role=driver,app in (a,b)`.
    public var labelSelector: String?
    /// For example `involvedObject.name=app-1`.
    public var fieldSelector: String?
    /// Page size; the server returns a `continue` token when there is more.
    public var limit: Int?
    /// The token from the previous page's `metadata.continue`.
    public var continueToken: String?
    /// Read at (or after) this version; `"0"` lets the server answer from its cache.
    public var resourceVersion: String?

    public init(
        labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil, continueToken: String? = nil,
        resourceVersion: String? = nil
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
        self.resourceVersion = resourceVersion
    }

    var query: QueryString {
        var query = QueryString()
        query.add("labelSelector", labelSelector)
        query.add("fieldSelector", fieldSelector)
        query.add("limit", limit)
        query.add("continue", continueToken)
        query.add("resourceVersion", resourceVersion)
        return query
    }
}

/// What happens to an object's dependents (a SparkApplication's driver and executor pods) on delete.
public enum PropagationPolicy: String, Sendable, Hashable {
    /// Delete the object now; the garbage collector removes dependents afterwards.
    case background = "Background"
    /// Delete dependents first; the object disappears last.
    case foreground = "Foreground"
    /// Keep the dependents.
    case orphan = "Orphan"
}
