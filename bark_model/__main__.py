"""`python -m bark_model --text "Hello" --voice v2/en_speaker_6 --out hello.wav`."""

import sys

from .cli import main

sys.exit(main())
