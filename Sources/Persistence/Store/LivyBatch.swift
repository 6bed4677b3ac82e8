import Foundation

/// A Livy batch id and the submission it names.
///
/// Livy clients address a batch by an integer; the gateway's submissions have string ids. The store
/// assigns each submission that is reached through the Livy API one increasing integer, once.
public struct LivyBatch: Sendable, Hashable {
    public var batchId: Int64
    public var submissionId: String

    public init(batchId: Int64, submissionId: String) {
        self.batchId = batchId
        self.submissionId = submissionId
    }
}

/// One page of Livy batches, oldest (lowest id) first, and how many there are in all.
public struct LivyBatchPage: Sendable, Hashable {
    public var total: Int
    public var batches: [LivyBatch]

    public init(total: Int, batches: [LivyBatch]) {
        self.total = total
        self.batches = batches
    }
}
