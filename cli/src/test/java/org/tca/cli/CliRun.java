package org.tca.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs tca in-process and captures its streams. */
record CliRun(int status, String out, String err) {

  static CliRun tca(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliRun(status, out.toString(), err.toString());
  }

  /** The arguments joined, for assertion messages. */
  @Override
  public String toString() {
    return "status " + status + "\nout: " + out + "\nerr: " + err;
  }
}
