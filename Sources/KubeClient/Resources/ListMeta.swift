/// `metav1.ListMeta`: the version a list was read at, and the token for its next page.
public struct ListMeta: Codable, Sendable, Hashable {
    /// Start a watch from here to see every change after the list.
    public var resourceVersion: String?
    /// Pass as `continue` to read the next page; absent or empty on the last page.
    public var `continue`: String?
    public var remainingItemCount: Int64?

    public init(resourceVersion: String? = nil, continue: String? = nil, remainingItemCount: Int64? = nil) {
        self.resourceVersion = resourceVersion
        self.continue = `continue`
        self.remainingItemCount = remainingItemCount
    }
}
