import Demos
import NBRunCLI

// nbrun for the course in notebooks/: the whole command line, given the course's ports.
// A course in its own repository has the same three lines with its own catalog.
NBRun.main(course: Catalog.course)
