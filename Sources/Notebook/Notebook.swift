public enum NotebookPlaceholder {}
