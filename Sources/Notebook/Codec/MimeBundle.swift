/// nbformat's rules for multi-line strings in mime bundles.
enum MimeBundle {
    /// JSON mime types (`application/json`, `application/*+json`) hold data, never lines.
    static func isJSON(_ mime: String) -> Bool {
        mime == "application/json" || (mime.hasPrefix("application/") && mime.hasSuffix("+json"))
    }

    /// Text-like mime types nbformat stores as a list of lines.
    static func isSplit(_ mime: String) -> Bool {
        mime.hasPrefix("text/") || mime == "application/javascript" || mime == "image/svg+xml"
    }

    /// `_rejoin_mimebundle`: a list of strings under a non-JSON mime becomes one string.
    static func rejoined(_ bundle: JSONObject) -> JSONObject {
        var bundle = bundle
        bundle.updateValues { mime, value in
            guard !isJSON(mime), case .array(let items) = value else { return value }
            let pieces = items.compactMap(\.stringValue)
            return pieces.count == items.count ? .string(pieces.joined()) : value
        }
        return bundle
    }

    /// `_split_mimebundle`: strings under text-like mime types become lists of lines.
    static func split(_ bundle: JSONObject) -> JSONObject {
        var bundle = bundle
        bundle.updateValues { mime, value in
            guard isSplit(mime), case .string(let text) = value else { return value }
            return .array(PythonLines.split(text).map(JSONValue.string))
        }
        return bundle
    }
}
