internal import CGatewayShims
internal import CMicroHTTPD

// libmicrohttpd's C callbacks. They cannot capture context: the daemon-wide context is the
// `ServerCore` and the per-request one (`*req_cls`) a retained `Exchange`, both through `Unmanaged`.

/// `MHD_OPTION_URI_LOG_CALLBACK`: the first sight of a request (its raw target, before any header).
/// The returned pointer becomes `*req_cls`; `requestCompleted` balances the retain.
let uriLogged: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?, OpaquePointer?)
    -> UnsafeMutableRawPointer? = { context, uri, connection in
        guard let context, let connection else { return nil }
        let core = Unmanaged<ServerCore>.fromOpaque(context).takeUnretainedValue()
        let exchange = Exchange(
            core: core, connection: MHDPointer(raw: connection), target: uri.map { String(cString: $0) } ?? "/")
        core.connections.requestLineReceived(connection)
        core.register(exchange)
        return Unmanaged.passRetained(exchange).toOpaque()
    }

/// `MHD_AccessHandlerCallback`: called after the headers, for each piece of body, at the end of
/// the body, and again after each resume.
let accessHandler: MHD_AccessHandlerCallback = { _, connection, _, method, version, upload, uploadSize, requestContext in
    guard connection != nil, let exchangePointer = requestContext?.pointee else { return .NO }
    let exchange = Unmanaged<Exchange>.fromOpaque(exchangePointer).takeUnretainedValue()
    return exchange.access(method: method, version: version, upload: upload, uploadSize: uploadSize)
}

/// `MHD_RequestCompletedCallback`: the request is over (sent, failed, timed out or shut down).
let requestCompleted: MHD_RequestCompletedCallback = { _, connection, requestContext, _ in
    guard let requestContext, let exchangePointer = requestContext.pointee else { return }
    if let connection {
        Unmanaged<Exchange>.fromOpaque(exchangePointer).takeUnretainedValue().core.connections.requestCompleted(connection)
    }
    requestContext.pointee = nil
    let exchange = Unmanaged<Exchange>.fromOpaque(exchangePointer)
    let value = exchange.takeUnretainedValue()
    value.completed()
    value.core.unregister(value)
    exchange.release()
}

/// `gw_mhd_logger.log`: libmicrohttpd's diagnostics, already formatted by the shim.
let diagnosticLogged: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Void = { context, message in
    guard let context, let message else { return }
    Unmanaged<ServerCore>.fromOpaque(context).takeUnretainedValue().log(String(cString: message))
}

/// `MHD_OPTION_NOTIFY_CONNECTION`: a connection was accepted or is closing (before its socket is
/// closed, which `ConnectionGuard` relies on).
let connectionNotified: MHD_NotifyConnectionCallback = { context, connection, _, event in
    guard let context, let connection else { return }
    let core = Unmanaged<ServerCore>.fromOpaque(context).takeUnretainedValue()
    switch event {
    case .CONNECTION_NOTIFY_STARTED: core.connections.opened(connection)
    case .CONNECTION_NOTIFY_CLOSED: core.connections.closed(connection)
    default: break
    }
}
