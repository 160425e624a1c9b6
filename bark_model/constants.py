"""Constants of Bark's published models and inference recipe (see suno-ai/bark generation.py)."""

SAMPLE_RATE = 24_000
CONTEXT_WINDOW_SIZE = 1024

SEMANTIC_RATE_HZ = 49.9
SEMANTIC_VOCAB_SIZE = 10_000
SEMANTIC_PAD_TOKEN = 10_000  # also the index of the end-of-speech logit
TEXT_ENCODING_OFFSET = 10_048
TEXT_PAD_TOKEN = 129_595
SEMANTIC_INFER_TOKEN = 129_599
TEXT_WINDOW = 256  # text tokens and semantic-history tokens seen by the text model
MAX_SEMANTIC_STEPS = 768

CODEBOOK_SIZE = 1024
N_COARSE_CODEBOOKS = 2
N_FINE_CODEBOOKS = 8
COARSE_RATE_HZ = 75
COARSE_SEMANTIC_PAD_TOKEN = 12_048
COARSE_INFER_TOKEN = 12_050
SEMANTIC_TO_COARSE_RATIO = COARSE_RATE_HZ / SEMANTIC_RATE_HZ * N_COARSE_CODEBOOKS
MIN_COARSE_HISTORY = 60  # the reference's bounds on the coarse context, in flat coarse tokens
MAX_COARSE_HISTORY = 630
COARSE_WINDOW = 60

FINE_WINDOW = 1024
FINE_STEP = 512
FINE_MAX_HISTORY = 512
FINE_PAD_TOKEN = CODEBOOK_SIZE

HOP_LENGTH = SAMPLE_RATE // COARSE_RATE_HZ  # audio samples per codec frame (320)

STAGE_VOCABS = {  # stage -> (input, output) vocab sizes of the published checkpoints
    "text": (129_600, 10_048),
    "coarse": (12_096, 12_096),
    "fine": (1_056, 1_056),
}
MODEL_SHAPES = {  # (n_layer, n_head, n_embd): the published small and large GPTs, and the tiny test shape
    "tiny": (2, 2, 32),
    "small": (12, 12, 768),
    "large": (24, 16, 1024),
}
