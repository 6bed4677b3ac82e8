import Foundation

/// Livy's batch JSON (`GET /batches/{id}`, each entry of `GET /batches`, the `POST /batches` answer).
/// Absent values are written as `null`, as Livy does; `appInfo` is Livy's free-form map, to which the
/// gateway adds `submissionId`.
struct LivyBatchView: Encodable, Sendable {
    var id: Int64
    var name: String?
    var owner: String?
    var proxyUser: String?
    var state: String
    var appId: String?
    var appInfo: [String: String?]
    var log: [String]

    enum CodingKeys: String, CodingKey { case id, name, owner, proxyUser, state, appId, appInfo, log }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(owner, forKey: .owner)
        try c.encode(proxyUser, forKey: .proxyUser)
        try c.encode(state, forKey: .state)
        try c.encode(appId, forKey: .appId)
        try c.encode(appInfo, forKey: .appInfo)
        try c.encode(log, forKey: .log)
    }
}

/// `GET /batches`: `{"from": …, "total": …, "sessions": [batch, …]}`.
struct LivyBatchList: Encodable, Sendable {
    var from: Int
    var total: Int
    var sessions: [LivyBatchView]
}

/// `GET /batches/{id}/state`.
struct LivyBatchStateView: Encodable, Sendable {
    var id: Int64
    var state: String
}

/// `GET /batches/{id}/log`: the lines `from` … `from + size` of `total`.
struct LivyBatchLog: Encodable, Sendable {
    var id: Int64
    var from: Int
    var total: Int
    var log: [String]
}

/// Livy's message body, for `DELETE` (`{"msg": "deleted"}`) and for every error.
struct LivyMessage: Encodable, Sendable {
    var msg: String
}
