"""Rebuild the promo detector's model from the committed corpus files, deterministically."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles import detector, detector_training
from articles.models import DetectorExample


class Command(BaseCommand):
    help = (
        "Train the promo detector from articles/data/detector/ (real-page features and the "
        "team's own labelled articles) and write model.json. The same inputs give the same "
        "bytes. --check compares with the committed model instead of writing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="compare, do not write")
        parser.add_argument(
            "--include-feedback",
            action="store_true",
            help="also learn from editors' restores and set-asides (DetectorExample rows)",
        )
        parser.add_argument("--output", type=Path, default=detector.MODEL_PATH)

    def handle(self, *args, check, include_feedback, output, **options):
        feedback = feedback_documents() if include_feedback else []
        documents = detector_training.training_documents(feedback)
        if not documents:
            raise CommandError(
                "No training data: articles/data/detector/ has neither real_features.jsonl "
                "nor selfwritten.jsonl."
            )
        lines = sum(len(d.targets) for d in documents)
        self.stdout.write(f"Training on {len(documents)} documents, {lines} lines…")
        model = detector_training.train(documents)
        data = detector_training.serialise(model)
        if check:
            committed = output.read_bytes() if output.exists() else b""
            if committed != data:
                raise CommandError(f"{output} differs from what the committed data trains.")
            self.stdout.write(self.style.SUCCESS(f"{output} is what the committed data trains."))
            return
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {output} ({len(data):,} bytes, threshold {model['threshold']}, "
                f"{len(model['second']['coef'])} second-pass weights)."
            )
        )


def feedback_documents() -> list[detector_training.Document]:
    """Each editor correction as a one-line document."""
    return [
        detector_training.text_document(
            f"feedback-{example.pk}",
            "",
            [
                (
                    "paragraph"
                    if example.label == DetectorExample.Label.REPORTING
                    else "non_reporting",
                    None if example.label == DetectorExample.Label.REPORTING else example.kind,
                    example.text,
                )
            ],
            "train",
            "feedback",
        )
        for example in DetectorExample.objects.all()
    ]
