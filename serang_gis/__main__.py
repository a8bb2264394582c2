import os
import signal

# Ctrl-C or SIGTERM while Python is still loading the command line: nothing is written yet, leave at once
# (no traceback); main() installs the handlers that clean up once commands run
signal.signal(signal.SIGINT, lambda *_: os._exit(130))
signal.signal(signal.SIGTERM, lambda *_: os._exit(143))

from serang_gis.cli.main import main  # noqa: E402

if __name__ == "__main__":
    main(prog_name="serang-gis")
