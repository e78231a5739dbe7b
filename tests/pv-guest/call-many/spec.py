"""call-many: smp_call_function_many() runs the function on exactly the online vCPUs of the
mask, caller included or not, waiting or not; an IPI to any number of vCPUs costs the caller
one hypercall; offline vCPUs are left out; a call from an event handler is refused."""

from runner.entry import Entry

ENTRIES = [Entry(f"call-many-{n}", vcpus=n) for n in (4, 8)]
