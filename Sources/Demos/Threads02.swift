import Foundation
import Futures

/// Ports of the `no-run` cells of `notebooks/02-threads.ipynb`.
public enum Threads02 {
    public static let demos: [Demo] = []
}
