import Foundation

/// What IPython's `display(obj)` publishes: a `display_data` output whose mime bundle holds
/// `text/plain` and, when the object has one, a richer form (`_repr_html_`, `_repr_markdown_`,
/// `_repr_svg_`, `_repr_png_`). nbrun writes it as nbformat does: text-like forms as lists of
/// lines, a PNG as one base64 string.
public struct DisplayData: Sendable, Equatable {
    /// The forms, `text/plain` first, as (mime type, data) pairs.
    public let bundle: [Form]

    /// One representation of the value: a MIME type and its data.
    public struct Form: Sendable, Equatable {
        /// The MIME type, e.g. `text/plain`.
        public let mime: String
        /// The data in that type.
        public let data: String
    }

    /// `display(obj)` of an object with these forms. `png` is the image's bytes (IPython
    /// base64-encodes them).
    public init(
        plain: String, html: String? = nil, markdown: String? = nil, svg: String? = nil, png: [UInt8]? = nil
    ) {
        var forms = [Form(mime: "text/plain", data: plain)]
        if let html { forms.append(Form(mime: "text/html", data: html)) }
        if let markdown { forms.append(Form(mime: "text/markdown", data: markdown)) }
        if let svg { forms.append(Form(mime: "image/svg+xml", data: svg)) }
        if let png { forms.append(Form(mime: "image/png", data: Data(png).base64EncodedString())) }
        bundle = forms
    }

    /// `text/plain`.
    public var plain: String { bundle[0].data }
}

/// One piece of a cell's output, in the order the cell produced it.
package enum CapturedOutput: Sendable, Equatable {
    /// Printed text (`print`, `sys.stderr.write`).
    case stream(StreamName, String)
    /// `display(obj)`: a `display_data` output.
    case display(DisplayData)
    /// The cell's value (`Out[n]`): an `execute_result` output.
    case value(PyValue)
}
