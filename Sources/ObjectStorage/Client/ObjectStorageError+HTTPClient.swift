import HTTPClient

extension ObjectStorageError {
    /// The transport's failure in S3's terms: no answer is `transport` (transient), an answer over
    /// the caller's limit is `protocol`, a download the reader stopped is `aborted`.
    init(_ error: HTTPClientError) {
        if error.isTooLarge {
            self.init(.protocolViolation(error.description))
        } else if error.isAborted {
            self.init(.aborted("the reader stopped the download"))
        } else {
            self.init(.transport(error.description))
        }
    }
}
