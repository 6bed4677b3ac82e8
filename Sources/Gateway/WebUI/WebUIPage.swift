/// The web UI's one HTML page and its style sheet, as Swift string literals so the binary carries
/// them (no resources bundle, nothing fetched at build or run time). The page is a shell: the
/// navigation, a `main` the script fills, and a live region for announcements.
enum WebUIPage {
    /// The page for an API under `apiRoot` (`/skatev2`, with an embedder's prefix); `terminalStates`
    /// tells the script when a job is over (the gateway's one list, not a copy in the script).
    static func html(apiRoot: String, terminalStates: [String]) -> String {
        let root = escape(apiRoot)
        return """
            <!DOCTYPE html>
            <html lang="en" data-root="\(root)" data-terminal="\(escape(terminalStates.sorted().joined(separator: " ")))">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Batch Processing Gateway</title>
            <link rel="stylesheet" href="\(root)/ui/app.css">
            <script src="\(root)/ui/app.js" defer></script>
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header>
            <p class="brand"><a href="#/jobs">Batch Processing Gateway</a></p>
            <nav aria-label="Main">
            <ul>
            <li><a href="#/jobs">Jobs</a></li>
            <li><a href="#/submit">Submit</a></li>
            <li><a href="#/clusters">Clusters</a></li>
            </ul>
            </nav>
            </header>
            <main id="main" tabindex="-1"><noscript><p>This page needs JavaScript. The same information is in the
            REST API under \(root) (docs/api.md).</p></noscript></main>
            <div id="live" class="visually-hidden" role="status" aria-live="polite"></div>
            </body>
            </html>

            """
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Readable without colour (states are words, links are underlined, focus is a thick outline),
    /// one column at phone width, tables scroll sideways inside their box.
    static let css = #"""
:root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.45; color: #1b1b1b; background: #fff; }
* { box-sizing: border-box; }
body { margin: 0; }
a { color: #0b4f9c; text-decoration: underline; }
:focus-visible { outline: 3px solid #1b1b1b; outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 0.5rem; top: 0.5rem; background: #fff; padding: 0.5rem; z-index: 1; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.5rem; padding: 0.75rem 1rem; border-bottom: 2px solid #1b1b1b; }
.brand { margin: 0; font-weight: 700; }
.brand a { color: inherit; text-decoration: none; }
nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; list-style: none; margin: 0; padding: 0; }
nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
main { padding: 1rem; max-width: 72rem; margin: 0 auto; }
h1 { font-size: 1.5rem; margin-top: 0; overflow-wrap: anywhere; }
h2 { font-size: 1.15rem; margin-top: 1.5rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.35rem 0.6rem; border-bottom: 1px solid #999; vertical-align: top; }
td a { overflow-wrap: anywhere; }
.state, .health { font-weight: 700; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.9em; border: 1px solid currentColor; padding: 0 0.3em; white-space: nowrap; }
.state-bad, .health-down { border-style: double; border-width: 3px; }
.state-ok::before { content: "✓ "; }
.state-bad::before, .health-down::before { content: "✗ "; }
.filters { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; margin-bottom: 1rem; }
.paging { display: flex; gap: 1rem; margin-top: 1rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
.facts dt { font-weight: 700; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.timeline li { margin-bottom: 0.25rem; }
pre { background: #f4f4f4; border: 1px solid #999; padding: 0.5rem; overflow: auto; max-height: 24rem; white-space: pre-wrap; overflow-wrap: anywhere; }
textarea { width: 100%; font-family: ui-monospace, Menlo, Consolas, monospace; }
label { display: block; margin-top: 0.75rem; font-weight: 600; }
.filters label { display: inline; margin: 0; }
button { font: inherit; padding: 0.35rem 1rem; border: 2px solid #1b1b1b; background: #fff; cursor: pointer; }
.error { border-left: 6px solid #1b1b1b; padding: 0.25rem 0.75rem; font-weight: 600; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 40rem) {
  .facts { grid-template-columns: 1fr; }
  .facts dd { margin-bottom: 0.5rem; }
  main { padding: 0.75rem; }
}
@media (prefers-color-scheme: dark) {
  :root { color: #eee; background: #111; }
  a { color: #8ab8ff; }
  pre { background: #1c1c1c; }
  button { background: #111; color: #eee; border-color: #eee; }
  header { border-color: #eee; }
  :focus-visible { outline-color: #eee; }
}
"""#
}
