"""Command line: ``python -m ferrolearn train|search [options] [--json]``."""

import argparse
import json
import os
import sys

from . import csvdata, study
from .datasets import DataError, load_abalone, shuffled
from .model import DivergenceError


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _parser():
    parser = _Parser(
        prog="ferrolearn",
        description="Logistic regression by gradient descent on abalone "
        "(male vs female) or your own CSV file.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser(
        "train", help="fit on the first 80%% of rows, validate on the rest"
    )
    search = commands.add_parser(
        "search", help="choose lambda by k-fold CV, then refit with it"
    )
    d = study.DEFAULTS
    for sub in (train, search):
        sub.error = parser.error
        sub.add_argument("--alpha", type=float, default=d["alpha"],
                         help="learning rate (default %(default)s)")
        sub.add_argument("--epochs", type=int, default=d["epochs"],
                         help="training epochs (default %(default)s)")
        sub.add_argument("--penalty", choices=("none", "l1", "l2"),
                         default=d["penalty"], help="default %(default)s")
        sub.add_argument("--json", action="store_true",
                         help="print the whole result as JSON")
        _data_arguments(sub)
    train.add_argument("--lam", type=float, default=d["lam"],
                       help="penalty strength lambda (default %(default)s)")
    search.add_argument("--cv-epochs", type=int, default=d["cv_epochs"],
                        help="epochs per CV model (default %(default)s)")
    search.add_argument("--lam-min", type=float, default=d["lam_min"],
                        help="smallest non-zero lambda (default %(default)s)")
    search.add_argument("--lam-max", type=float, default=d["lam_max"],
                        help="largest lambda (default %(default)s)")
    search.add_argument("--steps", type=int, default=d["steps"],
                        help="log-spaced lambdas besides 0 (default %(default)s)")
    search.add_argument("--folds", type=int, default=d["folds"],
                        help="CV folds (default %(default)s)")
    return parser


def _data_arguments(sub):
    sub.add_argument("--data", metavar="FILE",
                     help="a CSV file with a header row (default: abalone)")
    sub.add_argument("--target", metavar="COL", help="the column to predict")
    sub.add_argument("--positive", metavar="VALUE",
                     help="the target value that counts as positive")
    sub.add_argument("--features", metavar="A,B,C",
                     help="feature columns (default: every numeric column)")
    sub.add_argument("--shuffle", metavar="SEED", type=int,
                     help="shuffle rows with this seed before splitting")


def _load(args):
    if args.data is None:
        for flag in ("target", "positive", "features"):
            if getattr(args, flag) is not None:
                raise ValueError(f"--{flag} needs --data FILE.")
        data = load_abalone()
    else:
        if args.target is None:
            raise ValueError("--data needs --target COL: the column to predict.")
        try:
            with open(args.data, "rb") as file:
                raw = file.read(csvdata.MAX_BYTES + 1)
        except OSError as error:
            raise DataError(f"cannot read {args.data}: {error.strerror}.") from None
        features = args.features.split(",") if args.features else None
        data = csvdata.read_csv(raw, args.target, args.positive, features,
                                name=args.data)
    return data if args.shuffle is None else shuffled(data, args.shuffle)


def _params(args):
    names = ["alpha", "epochs", "penalty"]
    names += ["lam"] if args.command == "train" else [
        "cv_epochs", "lam_min", "lam_max", "steps", "folds"]
    return {name: getattr(args, name) for name in names}


def main(argv=None):
    args = _parser().parse_args(argv)
    try:
        data = _load(args)
        run = study.train if args.command == "train" else study.search
        result = run(_params(args), data)
    except (ValueError, OSError) as error:
        kind = "diverged" if isinstance(error, DivergenceError) else "error"
        if isinstance(error, DataError):
            kind = "data error"
        print(f"ferrolearn: {kind}: {error}", file=sys.stderr)
        return 1
    if args.data is not None:
        for note in data.notes:
            print(f"ferrolearn: note: {note}", file=sys.stderr)
    for warning in result["warnings"]:
        print(f"ferrolearn: warning: {warning}", file=sys.stderr)
    if args.json:
        text = json.dumps(result)
    elif args.command == "train":
        text = _train_summary(result)
    else:
        text = _search_summary(result)
    try:
        print(text)
    except BrokenPipeError:
        # The reader (head, say) has all it wanted; point stdout at devnull so
        # the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _train_summary(r):
    h, p, base = r["history"], r["params"], r["baseline"]
    lam = "" if p["penalty"] == "none" else f", lambda {p['lam']:.4g}"
    lines = [
        f"{r['target']}: {r['classes']['positive']} (1) vs "
        f"{r['classes']['negative']} (0); {r['n_train']} train / {r['n_val']} "
        f"validation rows",
        f"alpha {p['alpha']:g}, {p['epochs']} epochs, penalty {p['penalty']}{lam}",
        f"loss      train {h['loss_train'][-1]:.4f}   val {h['loss_val'][-1]:.4f}"
        f"   (epoch 0: {h['loss_train'][0]:.4f})",
        f"accuracy  train {h['acc_train'][-1]:.1%}    val {h['acc_val'][-1]:.1%}"
        f"    (majority class: {base['train']:.1%} / {base['val']:.1%})",
        "weights (standardized units):",
        f"  {'bias':<16}{r['bias']:+.4f}",
    ]
    lines += [f"  {name:<16}{w:+.4f}" for name, w in
              sorted(r["weights"].items(), key=lambda item: -abs(item[1]))]
    return "\n".join(lines)


def _search_summary(r):
    p = r["params"]
    lines = [f"{p['folds']}-fold CV, {p['cv_epochs']} epochs per model:",
             "  lambda        mean CV accuracy"]
    for point in r["grid"]:
        mark = "  <- best" if point["lam"] == r["best_lam"] else ""
        lines.append(f"  {point['lam']:<12.4g}  {point['mean_accuracy']:.2%}{mark}")
    lines += [f"best lambda {r['best_lam']:.4g}; refitted on the 80/20 split:", ""]
    return "\n".join(lines) + _train_summary(r["model"])
