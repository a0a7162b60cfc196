"""The worker form offers only the posts of the community's jurisdiction, and refuses a service
start in the future or after the post it starts, as the command line and the import do."""

from __future__ import annotations

from core.model import Post
from tests.tui.fixtures import TODAY, build_jurisdictions, build_registry
from tests.tui.testcity_plugin import POSTS
from tui.forms.worker_form import WorkerFormContext, check_worker, worker_texts
from tui.labels import Lexicon

REGISTRY = build_registry(8)
CTX = WorkerFormContext(REGISTRY.communities(), Lexicon(build_jurisdictions()), TODAY)


def test_the_post_list_is_the_jurisdictions() -> None:
    """Test City declares six posts; core's other eight (e.g. 协警) are not offered."""
    community = REGISTRY.communities()[0]
    offered = [code for code, _ in CTX.post_choices(community.id)]
    assert offered == [v.code for v in POSTS]
    assert Post.POLICE_ASSISTANT.value not in offered
    # a post held now that the jurisdiction no longer names stays offered, so an edit keeps it
    assert Post.POLICE_ASSISTANT.value in [
        c for c, _ in CTX.post_choices(community.id, keep="police_assistant")
    ]


def test_a_service_start_in_the_future_is_refused_at_its_field() -> None:
    worker = REGISTRY.workers()[0]
    texts = worker_texts(worker, TODAY) | {"service_start": "2030-01-01"}
    result = check_worker(texts, worker, CTX)
    assert result.worker is None
    assert set(result.errors) == {"service_start"}
    assert "2030-01-01" in result.errors["service_start"].problem.render()


def test_a_new_worker_whose_post_starts_before_the_service_is_refused() -> None:
    worker = REGISTRY.workers()[0]
    texts = worker_texts(worker, TODAY) | {
        "post": "staff",
        "post_start": "2015-01-01",
        "service_start": "2016-01-01",
    }
    texts |= {"id_number": worker.id_number}
    result = check_worker(texts, None, CTX)
    assert result.worker is None
    assert (
        "service_start" in result.errors and "2015-01-01" in result.errors["service_start"].problem.render()
    )
