import Foundation
import HTTPClient

extension S3Client {
    /// Uploads everything `source` yields to `bucket`/`key`.
    ///
    /// Up to `partSize` bytes go in one `PutObject`; beyond that a multipart upload sends
    /// `partSize` parts, `partConcurrency` at a time, so memory stays near
    /// `partSize × (partConcurrency + 1)` whatever the object's size. If anything fails (the source,
    /// a part, the completion) the multipart upload is aborted so no part is left stored and billed.
    ///
    /// - Parameter maxSize: refuse sources longer than this (`invalidArgument`), checked as bytes arrive.
    public func putObject(
        bucket: String, key: String, from source: inout some ObjectSource, contentType: String = "application/octet-stream",
        maxSize: Int? = nil
    ) async throws(ObjectStorageError) -> UploadResult {
        guard !key.isEmpty else { throw .invalidArgument("the object key is empty") }
        if let length = source.knownLength, length > configuration.partSize, length <= Self.maximumSinglePut,
            !configuration.signPayload
        {
            if let maxSize, length > maxSize { throw .invalidArgument("the object is larger than the limit of \(maxSize) bytes") }
            return try await streamedPut(bucket: bucket, key: key, from: &source, length: length, contentType: contentType)
        }
        var total = 0
        let first = try await readPart(from: &source, total: &total, maxSize: maxSize)
        if first.count < configuration.partSize {
            let response = try await send(
                "PUT", bucket: bucket, key: key, headers: [("Content-Type", contentType)], body: first, totalTimeout: nil)
            return UploadResult(bucket: bucket, key: key, size: first.count, eTag: response.headers["etag"], parts: 0)
        }
        let created = try await send(
            "POST", bucket: bucket, key: key, query: [("uploads", "")], headers: [("Content-Type", contentType)], body: Data())
        guard let uploadId = XMLText.first("UploadId", in: String(decoding: created.body, as: UTF8.self)) else {
            throw .protocolViolation("CreateMultipartUpload answered without an UploadId")
        }
        do throws(ObjectStorageError) {
            let eTags = try await uploadParts(
                bucket: bucket, key: key, uploadId: uploadId, first: first, source: &source, total: &total, maxSize: maxSize)
            let eTag = try await completeUpload(bucket: bucket, key: key, uploadId: uploadId, eTags: eTags)
            return UploadResult(bucket: bucket, key: key, size: total, eTag: eTag, parts: eTags.count)
        } catch {
            await abortUpload(bucket: bucket, key: key, uploadId: uploadId)
            throw error
        }
    }

    /// S3's largest single `PutObject`.
    static let maximumSinglePut = 5 << 30

    /// One `PutObject` whose body is read from `source` while it is sent, through a 1 MiB buffer,
    /// as `curl -T` does. A source that fails or ends early aborts the request: S3 stores nothing.
    private func streamedPut(
        bucket: String, key: String, from source: inout some ObjectSource, length: Int, contentType: String
    ) async throws(ObjectStorageError) -> UploadResult {
        let pump = UploadPump(limit: 1 << 20)
        let transfer = Task { [self] () async -> Result<HTTPExchangeResponse, ObjectStorageError> in
            do throws(ObjectStorageError) {
                return .success(try await send(
                    "PUT", bucket: bucket, key: key, headers: [("Content-Type", contentType)],
                    stream: UploadStream(pump: pump, length: length), totalTimeout: nil))
            } catch {
                pump.stop()
                return .failure(error)
            }
        }
        var sent = 0
        var failure: ObjectStorageError?
        while sent < length {
            let chunk: Data
            do {
                chunk = try await source.read(maxLength: min(256 << 10, length - sent))
            } catch {
                failure = .init(.aborted("reading the upload failed: \(error)"))
                break
            }
            if chunk.isEmpty {
                failure = .init(.aborted("the source ended after \(sent) of \(length) bytes"))
                break
            }
            sent += chunk.count
            guard await pump.put(chunk) else { break }
        }
        pump.finish(failed: failure != nil)
        let result = await transfer.value
        if let failure { throw failure }
        let response = try result.get()
        return UploadResult(bucket: bucket, key: key, size: length, eTag: response.headers["etag"], parts: 0)
    }

    /// Uploads `data` (a convenience for small objects).
    public func putObject(bucket: String, key: String, data: Data, contentType: String = "application/octet-stream")
        async throws(ObjectStorageError) -> UploadResult
    {
        var source = DataSource(data)
        return try await putObject(bucket: bucket, key: key, from: &source, contentType: contentType)
    }

    /// Reads up to one part, however many reads that takes.
    private func readPart(from source: inout some ObjectSource, total: inout Int, maxSize: Int?) async throws(ObjectStorageError) -> Data {
        var part = Data()
        while part.count < configuration.partSize {
            let chunk: Data
            do {
                chunk = try await source.read(maxLength: configuration.partSize - part.count)
            } catch let error as ObjectStorageError {
                throw error
            } catch {
                throw .init(.aborted("reading the upload failed: \(error)"))
            }
            if chunk.isEmpty { break }
            total += chunk.count
            if let maxSize, total > maxSize {
                throw .invalidArgument("the object is larger than the limit of \(maxSize) bytes")
            }
            // A source that fills the part in one read (a file) is used as is: no second copy.
            if part.isEmpty && chunk.count == configuration.partSize { return chunk }
            part.append(chunk)
        }
        return part
    }

    private func uploadParts(
        bucket: String, key: String, uploadId: String, first: Data, source: inout some ObjectSource, total: inout Int,
        maxSize: Int?
    ) async throws(ObjectStorageError) -> [String] {
        var eTags: [Int: String] = [:]
        var next: Data? = first
        var number = 0
        let result: Result<Void, ObjectStorageError> = await withTaskGroup(of: Result<(Int, String), ObjectStorageError>.self) { group in
            var running = 0
            func collect(_ outcome: Result<(Int, String), ObjectStorageError>?) -> ObjectStorageError? {
                running -= 1
                switch outcome {
                case .success(let (n, tag)): eTags[n] = tag; return nil
                case .failure(let error): return error
                case nil: return nil
                }
            }
            while let part = next, !part.isEmpty {
                number += 1
                let partNumber = number
                group.addTask { [self] in
                    do throws(ObjectStorageError) {
                        let response = try await send(
                            "PUT", bucket: bucket, key: key, query: [("partNumber", "\(partNumber)"), ("uploadId", uploadId)],
                            body: part, totalTimeout: nil)
                        guard let tag = response.headers["etag"] else {
                            return .failure(.protocolViolation("UploadPart \(partNumber) answered without an ETag"))
                        }
                        return .success((partNumber, tag))
                    } catch {
                        return .failure(error)
                    }
                }
                running += 1
                next = nil
                // Read the next part while this one is sent; wait once the pipeline is full.
                do throws(ObjectStorageError) {
                    next = try await readPart(from: &source, total: &total, maxSize: maxSize)
                } catch {
                    group.cancelAll()
                    return .failure(error)
                }
                while running >= configuration.partConcurrency {
                    if let error = collect(await group.next()) { group.cancelAll(); return .failure(error) }
                }
            }
            while running > 0 {
                if let error = collect(await group.next()) { group.cancelAll(); return .failure(error) }
            }
            return .success(())
        }
        try result.get()
        return (1...number).map { eTags[$0] ?? "" }
    }

    private func completeUpload(bucket: String, key: String, uploadId: String, eTags: [String]) async throws(ObjectStorageError) -> String? {
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for (index, tag) in eTags.enumerated() {
            xml += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(XMLText.escape(tag))</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        let response = try await send(
            "POST", bucket: bucket, key: key, query: [("uploadId", uploadId)], headers: [("Content-Type", "application/xml")],
            body: Data(xml.utf8), totalTimeout: nil)
        // S3 may answer 200 and put an error in the body when the completion fails late.
        let text = String(decoding: response.body, as: UTF8.self)
        if text.contains("<Error>") { throw ObjectStorageError.fromResponse(status: 500, body: response.body) }
        return XMLText.first("ETag", in: text)
    }

    /// Best effort: an abort that fails leaves parts that the bucket's lifecycle rule
    /// (`AbortIncompleteMultipartUpload`, see docs/object-storage.md) removes later.
    func abortUpload(bucket: String, key: String, uploadId: String) async {
        _ = try? await send("DELETE", bucket: bucket, key: key, query: [("uploadId", uploadId)])
    }
}
