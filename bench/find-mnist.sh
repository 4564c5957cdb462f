# Sourced by the bench scripts: sets MNIST_DIR to the MNIST subset folder ($MNIST_DIR, else the first
# shared/data/mnist-10k above bench/, else /work/shared/data/mnist-10k) and stops the script when it is missing.
if [ -z "${MNIST_DIR:-}" ]; then
  d="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  while [ "$d" != "/" ]; do
    if [ -f "$d/shared/data/mnist-10k/train-images-idx3-ubyte.gz" ]; then MNIST_DIR="$d/shared/data/mnist-10k"; break; fi
    d="$(dirname "$d")"
  done
  MNIST_DIR="${MNIST_DIR:-/work/shared/data/mnist-10k}"
fi
[ -f "$MNIST_DIR/train-images-idx3-ubyte.gz" ] || { echo "MNIST subset not found at $MNIST_DIR; set MNIST_DIR" >&2; exit 1; }
