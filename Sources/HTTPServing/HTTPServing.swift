/// An HTTP/1.1 server over libmicrohttpd, with a router and async handlers.
public enum HTTPServing {}
