#!/bin/sh
# The outputs pasted in the tutorials are what bmc prints now (timings
# aside): tools/tutorial-outputs.py re-runs every command.  After a change
# that moves the numbers, refresh them with
#   BMC=build/bmc tools/tutorial-outputs.py --update docs/tutorial.md docs/tutorial.ko.md
: "${BMC:?set BMC to the bmc binary}"
exec python3 tools/tutorial-outputs.py --check docs/tutorial.md docs/tutorial.ko.md
