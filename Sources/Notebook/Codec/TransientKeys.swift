/// nbformat's transient keys (`strip_transient`): never part of a saved notebook, so they
/// are dropped on read and again on write (a caller may have set them in between).
enum TransientKeys {
    /// Keys of the notebook's `metadata`.
    static let notebookMetadata = ["orig_nbformat", "orig_nbformat_minor", "signature"]
    /// Keys of a cell's `metadata`.
    static let cellMetadata = ["trusted"]

    static func strip(_ keys: [String], from object: inout JSONObject) {
        for key in keys { object.removeValue(forKey: key) }
    }
}
