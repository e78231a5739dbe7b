"""--junit FILE: the run's verdicts as JUnit XML, the report format of Xen's GitLab CI and most
others (docs/runner.md, "CI: JUnit and shards").

  <testsuites name tests failures skipped time>
    <testsuite name tests failures errors skipped time timestamp hostname>
      <properties>: the Xen (Xen.describe()), the TLB model, the shard
      <testcase classname="pvmm.MODE" name="NAME" time="SECONDS">
        <failure message="REASON">REASON, the guest's REPORTED lines, Xen's complaints, the log</failure>
        or <skipped message="REASON"/>
        <system-out>the key=value figures, the log's path</system-out>

A timeout is a failure, as in the TAP output. Results are judge.Result objects.
"""

import os
import re
import socket
import time
import xml.etree.ElementTree as ET

# Characters XML 1.0 cannot hold even escaped (most C0 controls): a serial line can carry them
# (a terminal escape from dom0's Linux, line noise), and one would make the file unparsable.
NOT_XML_RE = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text):
    """TEXT as XML can hold it: each character it cannot becomes U+FFFD."""
    return NOT_XML_RE.sub("\ufffd", text)


def testcase(r):
    """The <testcase> element of one judge.Result."""
    case = ET.Element("testcase", classname=f"pvmm.{r.mode}", name=clean(r.name), time=f"{r.seconds:.3f}")
    if r.verdict == "fail":
        failure = ET.SubElement(case, "failure", message=clean(r.reason or "failed"), type="failure")
        failure.text = clean("\n".join([r.reason or "failed"] + [f"| {line}" for line in r.reported] +
                                       [f"xen: {line}" for line in r.xen] +
                                       ([f"log: {r.log}"] if r.log else [])))
    elif r.verdict == "skip":
        ET.SubElement(case, "skipped", message=clean(r.reason or "skipped"))
    if r.figures or r.log:
        out = ET.SubElement(case, "system-out")
        out.text = clean("\n".join(r.figures + ([f"log: {r.log}"] if r.log else [])))
    return case


def document(results, properties, seconds, name="pvmm"):
    """The <testsuites> element: RESULTS (judge.Result), PROPERTIES (name, value) pairs."""
    counts = {"tests": str(len(results)),
              "failures": str(sum(r.verdict == "fail" for r in results)),
              "skipped": str(sum(r.verdict == "skip" for r in results))}
    root = ET.Element("testsuites", name=name, time=f"{seconds:.3f}", **counts)
    suite = ET.SubElement(root, "testsuite", name=name, errors="0", time=f"{seconds:.3f}",
                          timestamp=time.strftime("%Y-%m-%dT%H:%M:%S"), hostname=socket.gethostname(),
                          **counts)
    props = ET.SubElement(suite, "properties")
    for key, value in properties:
        ET.SubElement(props, "property", name=key, value=clean(str(value)))
    for r in results:
        suite.append(testcase(r))
    return root


def write(path, results, properties, seconds, name="pvmm"):
    """Write the JUnit file at PATH, whole or not at all (a temporary file renamed over it)."""
    tree = ET.ElementTree(document(results, properties, seconds, name))
    ET.indent(tree)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, f".{os.path.basename(path)}.tmp{os.getpid()}")
    tree.write(tmp, encoding="utf-8", xml_declaration=True)
    os.replace(tmp, path)
