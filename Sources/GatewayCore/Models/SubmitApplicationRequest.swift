import Foundation
import JSON

/// The body of `POST /spark`: a Spark job to submit, in BPG's request format (JSON or YAML).
///
/// Unknown top-level fields are rejected with a ``SubmissionError`` naming them (BPG's Jackson does the
/// same); unknown fields inside nested objects are ignored. Map values written as numbers or booleans
/// are kept as strings.
///
/// ```swift
/// let request = try SubmitApplicationRequest.decode(json: body)
/// ```
public struct SubmitApplicationRequest: Codable, Hashable, Sendable {
    /// Appended to the generated submission id as `-<suffix>`.
    public var submissionIdSuffix: String?
    /// Becomes the `applicationName` label (normalised) and `spark.app.name` (verbatim).
    public var applicationName: String?
    /// `Java`, `Scala`, `Python` or `R`; inferred from `mainClass` when empty.
    public var type: String?
    /// Accepted and ignored: the gateway always submits in `cluster` mode.
    public var mode: String?
    /// A custom image, bypassing the configured `sparkImages`.
    public var image: String?
    /// Executors go to the queue's spot node-label values.
    public var spotInstance: Bool?
    public var sparkVersion: String?
    public var mainClass: String?
    public var mainApplicationFile: String?
    public var arguments: [String]?
    public var sparkConf: [String: String]?
    public var volumes: [Volume]?
    public var driver: SparkPodSpec?
    public var executor: SparkPodSpec?
    /// Accepted and ignored, as in BPG.
    public var driverOverheadFactor: Double?
    /// Accepted and ignored, as in BPG.
    public var executorOverheadFactor: Double?
    /// Accepted and ignored, as in BPG.
    public var overheadFactor: Double?
    public var deps: Dependencies?
    public var pythonVersion: String?
    public var imagePullPolicy: String?
    public var restartPolicy: RestartPolicy?
    /// Pins the submission to one configured cluster.
    public var clusterId: String?
    /// The YuniKorn queue, normalised (`a..b.` → `a.b`); defaults to the user's mapped queue or `poc`.
    public var queue: String?
    /// A JWT proving access to a secure queue. Never logged or stored (see ``redactedForStorage()``).
    public var queueToken: String?

    public init(
        submissionIdSuffix: String? = nil, applicationName: String? = nil, type: String? = nil, mode: String? = nil,
        image: String? = nil, spotInstance: Bool? = nil, sparkVersion: String? = nil, mainClass: String? = nil,
        mainApplicationFile: String? = nil, arguments: [String]? = nil, sparkConf: [String: String]? = nil,
        volumes: [Volume]? = nil, driver: SparkPodSpec? = nil, executor: SparkPodSpec? = nil,
        driverOverheadFactor: Double? = nil, executorOverheadFactor: Double? = nil, overheadFactor: Double? = nil,
        deps: Dependencies? = nil, pythonVersion: String? = nil, imagePullPolicy: String? = nil,
        restartPolicy: RestartPolicy? = nil, clusterId: String? = nil, queue: String? = nil,
        queueToken: String? = nil
    ) {
        self.submissionIdSuffix = submissionIdSuffix
        self.applicationName = applicationName
        self.type = type
        self.mode = mode
        self.image = image
        self.spotInstance = spotInstance
        self.sparkVersion = sparkVersion
        self.mainClass = mainClass
        self.mainApplicationFile = mainApplicationFile
        self.arguments = arguments
        self.sparkConf = sparkConf
        self.volumes = volumes
        self.driver = driver
        self.executor = executor
        self.driverOverheadFactor = driverOverheadFactor
        self.executorOverheadFactor = executorOverheadFactor
        self.overheadFactor = overheadFactor
        self.deps = deps
        self.pythonVersion = pythonVersion
        self.imagePullPolicy = imagePullPolicy
        self.restartPolicy = restartPolicy
        self.clusterId = clusterId
        self.queue = queue
        self.queueToken = queueToken
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case submissionIdSuffix, applicationName, type, mode, image, spotInstance, sparkVersion, mainClass
        case mainApplicationFile, arguments, sparkConf, volumes, driver, executor, driverOverheadFactor
        case executorOverheadFactor, overheadFactor, deps, pythonVersion, imagePullPolicy, restartPolicy
        case clusterId, queue, queueToken
    }

    /// Reads every field leniently through the decoder: ``decode(json:)`` uses the JSON module's
    /// lenient scalars (numbers and booleans accepted where a string is declared, and so on, as BPG's
    /// Jackson reads them); YAML scalars are text anyway. This is the request's only reader: the HTTP
    /// path, YAML bodies and stored requests all come through here.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        let names = JSONValueDecoder.memberNames(of: decoder) ?? c.allKeys.map(\.stringValue)
        let unknown = names.filter { CodingKeys(stringValue: $0) == nil }.sorted()
        if !unknown.isEmpty {
            throw SubmissionError.badRequest(
                "Unrecognized field\(unknown.count == 1 ? "" : "s") "
                    + unknown.map { "\"\($0)\"" }.joined(separator: ", ")
                    + " (known fields: " + CodingKeys.allCases.map(\.stringValue).joined(separator: ", ") + ")")
        }
        func read<T: Decodable>(_ key: CodingKeys) throws -> T? {
            try c.decodeIfPresent(T.self, forKey: AnyCodingKey(key.stringValue))
        }
        submissionIdSuffix = try read(.submissionIdSuffix)
        applicationName = try read(.applicationName)
        type = try read(.type)
        mode = try read(.mode)
        image = try read(.image)
        spotInstance = try read(.spotInstance)
        sparkVersion = try read(.sparkVersion)
        mainClass = try read(.mainClass)
        mainApplicationFile = try read(.mainApplicationFile)
        arguments = try read(.arguments)
        sparkConf = try read(.sparkConf)
        volumes = try read(.volumes)
        driver = try read(.driver)
        executor = try read(.executor)
        driverOverheadFactor = try read(.driverOverheadFactor)
        executorOverheadFactor = try read(.executorOverheadFactor)
        overheadFactor = try read(.overheadFactor)
        deps = try read(.deps)
        pythonVersion = try read(.pythonVersion)
        imagePullPolicy = try read(.imagePullPolicy)
        restartPolicy = try read(.restartPolicy)
        clusterId = try read(.clusterId)
        queue = try read(.queue)
        queueToken = try read(.queueToken)
    }
}

extension SubmitApplicationRequest {
    /// Decodes a JSON body, turning every failure into a 400 ``SubmissionError`` with BPG's messages
    /// (including the hint when the body looks like a file path, a common curl mistake).
    public static func decode(json body: Data) throws(SubmissionError) -> SubmitApplicationRequest {
        do {
            // Straight from the bytes: the JSON module validates the text, then decodes the model
            // from its tape without building a tree.
            return try JSONValueDecoder(lenientScalars: true).decode(SubmitApplicationRequest.self, from: body)
        } catch let error as SubmissionError {
            throw SubmissionError.badRequest("Invalid JSON request: \(error.message)")
        } catch DecodingError.dataCorrupted(let context) where context.underlyingError is JSONParseError {
            if looksLikeFilePath(String(decoding: body, as: UTF8.self)) {
                throw SubmissionError.badRequest(
                    "Invalid request body. It actually looks like a file path. If you're using curl, make sure you are passing the file content (not the file path) as the request body."
                )
            }
            throw SubmissionError.badRequest("Invalid JSON request: malformed JSON: \(context.underlyingError!)")
        } catch {
            throw SubmissionError.badRequest("Invalid JSON request: \(describe(error))")
        }
    }

    /// True when the whole body matches BPG's file-path pattern `([a-zA-Z~])?(/[a-zA-Z0-9_.-]+)+/?`.
    public static func looksLikeFilePath(_ text: String) -> Bool {
        var scalars = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines)).unicodeScalars[...]
        if let first = scalars.first, first == "~" || (first.isASCII && first.properties.isAlphabetic) {
            scalars = scalars.dropFirst()
        }
        var segments = 0
        while scalars.first == "/" {
            scalars = scalars.dropFirst()
            let segment = scalars.prefix { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_.-".unicodeScalars.contains($0)) }
            if segment.isEmpty { break }
            segments += 1
            scalars = scalars.dropFirst(segment.count)
        }
        return segments > 0 && scalars.isEmpty
    }

    /// A copy safe to store or log: the queue token replaced by `***`, pod environments removed.
    public func redactedForStorage() -> SubmitApplicationRequest {
        var copy = self
        if copy.queueToken != nil { copy.queueToken = "***" }
        copy.driver?.env = nil
        copy.executor?.env = nil
        return copy
    }

    /// A decoding error as one line naming the field by its coding path (`driver.env[0]`) and the
    /// expected type in the request's vocabulary (`String`, `Int`, `Array`, `object`).
    static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return String(describing: error) }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "" : " at " + keys.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        func name(_ type: Any.Type) -> String {
            let full = String(describing: type)
            let base = full.prefix { $0 != "<" }
            return base == "Dictionary" ? "object" : String(base)
        }
        switch decoding {
        case .typeMismatch(let type, let context): return "wrong type for \(name(type))\(path(context)): \(context.debugDescription)"
        case .valueNotFound(_, let context): return "missing value\(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, let context): return "missing field \"\(key.stringValue)\"\(path(context))"
        case .dataCorrupted(let context): return "malformed\(path(context)): \(context.debugDescription)"
        @unknown default: return String(describing: error)
        }
    }
}
