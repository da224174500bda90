/// Every registered demo, for every course notebook. A notebook's file lists its own
/// demos (`Threads02.demos` for `02-threads.ipynb`); adding a notebook adds a line here.
public enum Catalog {
    public static let demos: [Demo] =
        Threads02.demos
        + Processes03.demos
        + Asyncio04.demos
}
