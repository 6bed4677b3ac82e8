/// Label and annotation keys the gateway writes on every `SparkApplication`.
///
/// BPG's own keys are kept so existing dashboards, the status endpoint and `mySubmissions` work
/// unchanged; ``managedBy`` is new and lets a monitor watch only the gateway's applications.
public enum GatewayLabels {
    /// The user the job runs as (normalised to a valid label value).
    public static let proxyUser = "proxyUser"
    /// The request's `applicationName`, normalised.
    public static let applicationName = "applicationName"
    /// `root.<queue>`.
    public static let queue = "queue"
    /// The effective max running time in ms, decimal.
    public static let maxRunningMillis = "maxRunningMillis"
    /// The recommended Kubernetes label `app.kubernetes.io/managed-by`.
    public static let managedBy = "app.kubernetes.io/managed-by"
    /// The value of ``managedBy``; select with `app.kubernetes.io/managed-by=batch-processing-gateway`.
    public static let managedByValue = "batch-processing-gateway"
    /// The label selector matching every application the gateway created.
    public static let managedBySelector = "\(managedBy)=\(managedByValue)"
    /// Set to `"false"` on driver and executor pods so the cluster autoscaler does not evict them.
    public static let safeToEvictAnnotation = "cluster-autoscaler.kubernetes.io/safe-to-evict"

    /// BPG's `normalizeLabelValue`: first character alphanumeric, others alphanumeric or `-_.`
    /// (anything else becomes `0`), at most 63 characters, last character alphanumeric.
    public static func normalizeLabelValue(_ value: String) -> String {
        guard !value.isEmpty else { return value }
        var out: [UInt8] = []
        out.reserveCapacity(min(value.utf8.count, 63))
        for (index, byte) in value.utf8.enumerated() {
            if out.count == 63 { break }
            let alnum = (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
            if index == 0 {
                out.append(alnum ? byte : 48)
            } else {
                out.append(alnum || byte == 45 || byte == 95 || byte == 46 ? byte : 48)
            }
        }
        // A multi-byte character yields several bytes; each was already replaced by '0' above.
        if let last = out.last {
            let alnum = (last >= 48 && last <= 57) || (last >= 65 && last <= 90) || (last >= 97 && last <= 122)
            if !alnum { out[out.count - 1] = 48 }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
