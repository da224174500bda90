public enum FuturesPlaceholder {}
