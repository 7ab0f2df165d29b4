"""The role matrix: every admin screen, for every role, through the real admin.

One table says what each role may do on each registered model (list and view, add, delete);
the tests walk `admin.site._registry`, so a screen added later without a row here fails.
Then the leak check: the texts of an editor's draft (headline, body, image alt text and
caption) never appear on any screen, list, search or picker of a role that may not see it.
"""

import io

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from articles.models import (
    ApiClient,
    Article,
    ArticleEntity,
    AuditEntry,
    Block,
    Entity,
    Image,
    Revision,
    Sponsor,
    SponsoredBlock,
)
from articles.revisions import bump_version, record_revision
from articles.roles import ROLE_PERMISSIONS
from tests.users import staff

# Texts of the editor's unpublished draft: none may reach a role that cannot see the draft.
HEADLINE = "Quillfeather takeover of Marrowby"
BODY = "Zanzibarine board minutes seen by this paper"
ALT = "Vermilion boardroom photograph"
CAPTION = "Ostrakon directors leaving the meeting"
MARKERS = [HEADLINE, BODY, ALT, CAPTION]

# What each role may do on each screen: "v" list and view, "a" add, "d" delete.
TABLE: dict[str, dict[str, str]] = {
    "articles.article": {"Reporter": "va", "Editor": "vad", "Ad operations": ""},
    "articles.revision": {"Reporter": "v", "Editor": "v", "Ad operations": ""},
    "articles.auditentry": {"Reporter": "", "Editor": "v", "Ad operations": "v"},
    "articles.image": {"Reporter": "va", "Editor": "vad", "Ad operations": "va"},
    "articles.section": {"Reporter": "v", "Editor": "vad", "Ad operations": ""},
    "articles.author": {"Reporter": "v", "Editor": "vad", "Ad operations": ""},
    "articles.entity": {"Reporter": "v", "Editor": "vad", "Ad operations": ""},
    "articles.sponsor": {"Reporter": "", "Editor": "v", "Ad operations": "vad"},
    "articles.sponsoredblock": {"Reporter": "", "Editor": "v", "Ad operations": "vad"},
    "articles.apiclient": {"Reporter": "", "Editor": "vad", "Ad operations": ""},
    "auth.user": {"Reporter": "", "Editor": "", "Ad operations": ""},
    "auth.group": {"Reporter": "", "Editor": "", "Ad operations": ""},
    "axes.accessattempt": {"Reporter": "", "Editor": "", "Ad operations": ""},
    "axes.accesslog": {"Reporter": "", "Editor": "", "Ad operations": ""},
    "axes.accessfailurelog": {"Reporter": "", "Editor": "", "Ad operations": ""},
}
ROLES = list(ROLE_PERMISSIONS)
MODELS = sorted(model._meta.label_lower for model in admin.site._registry)
# Screens of article content whose object from the editor's draft a role may not see. The
# article screen refuses it (403); the others answer as for an object that does not exist.
HIDDEN = {
    "Reporter": {"articles.article", "articles.revision", "articles.image"},
    "Ad operations": {"articles.auditentry", "articles.image"},
    "Editor": set(),
}


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (30, 120, 200)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def newsroom(roles, make_article, settings, tmp_path):
    """An editor's draft carrying every kind of article content, and one object per screen."""
    settings.MEDIA_ROOT = tmp_path
    editor = staff("erin", "Editor")
    image = Image.objects.create(file=png_upload(), alt_text=ALT, caption=CAPTION)
    draft = make_article("draft", headline=HEADLINE, paragraphs=[BODY], created_by=editor)
    Block.objects.create(article=draft, position=1, type="image", image=image)
    entity = Entity.objects.create(kind="organization", name="Marrowby Ltd", slug="marrowby")
    ArticleEntity.objects.create(article=draft, entity=entity, role="subject")
    revision = record_revision(draft, by=editor, message="First draft")
    audit = AuditEntry.objects.create(
        action="sponsored_review", article=draft, actor=editor, message=f"Checked “{HEADLINE}”"
    )
    sponsor = Sponsor.objects.create(name="Acme Bank", slug="acme-bank")
    block = SponsoredBlock.objects.create(
        label="Sponsored",
        sponsor=sponsor,
        headline="Save with Acme",
        text="Open an account today.",
        placement="end",
        starts_at=timezone.now(),
        active=False,
        source_article=draft,
    )
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    access = {"user_agent": "test", "ip_address": "192.0.2.1", "username": "erin"}
    access |= {"http_accept": "*/*", "path_info": "/accounts/login/"}
    objects = {
        "articles.article": draft,
        "articles.revision": revision,
        "articles.auditentry": audit,
        "articles.image": image,
        "articles.section": draft.section,
        "articles.author": draft.authors.first(),
        "articles.entity": entity,
        "articles.sponsor": sponsor,
        "articles.sponsoredblock": block,
        "articles.apiclient": ApiClient.objects.create(name="Partner", rate="60/min"),
        "auth.user": editor,
        "auth.group": Group.objects.get(name="Editor"),
        "axes.accessattempt": AccessAttempt.objects.create(
            **access, get_data="", post_data="", failures_since_start=1
        ),
        "axes.accesslog": AccessLog.objects.create(**access),
        "axes.accessfailurelog": AccessFailureLog.objects.create(**access),
    }
    return {"editor": editor, "draft": draft, "objects": objects}


def admin_url(label: str, suffix: str = "") -> str:
    app_label, model_name = label.split(".")
    return f"/admin/{app_label}/{model_name}/{suffix}"


def test_the_table_covers_every_admin_screen_and_role():
    assert sorted(TABLE) == MODELS
    for label, row in TABLE.items():
        assert sorted(row) == sorted(ROLES), label


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", MODELS)
def test_role_matrix(client, newsroom, role, label):
    may = TABLE[label][role]
    client.force_login(staff("someone", role))
    obj = newsroom["objects"][label]
    obj_url = admin_url(label, f"{obj.pk}/")

    assert client.get(admin_url(label)).status_code == (200 if "v" in may else 403)
    assert client.get(admin_url(label, "add/")).status_code == (200 if "a" in may else 403)

    response = client.get(obj_url + "change/")
    # The article screen refuses someone else's draft (403), as it does the whole screen.
    if "v" not in may or (label == "articles.article" and label in HIDDEN[role]):
        assert response.status_code == 403
    elif label in HIDDEN[role]:
        # Outside the screen's queryset the object does not exist: back to the index.
        assert response.status_code == 302 and response.url == "/admin/"
    else:
        assert response.status_code == 200

    response = client.get(obj_url + "delete/")
    if "d" in may:
        assert response.status_code == 200
        assert not response.context["perms_lacking"], response.context["perms_lacking"]
    else:
        assert response.status_code == 403


def pages_of(client, role: str) -> list[str]:
    """Every admin page a role may open: lists, searches for each marker, every object."""
    urls = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        if "v" not in TABLE[label][role]:
            continue
        urls.append(admin_url(label))
        if model_admin.search_fields:
            # The search box echoes the term: search for a marker's first word, which finds
            # the object, and look for the whole marker, which only the object can show.
            urls += [admin_url(label, f"?q={marker.split()[0]}") for marker in MARKERS]
        for pk in model._default_manager.values_list("pk", flat=True):
            urls += [admin_url(label, f"{pk}/change/"), admin_url(label, f"{pk}/history/")]
    # The image pickers of the article and sponsored screens search the images too.
    for app_model, field in [("article", "hero_image"), ("block", "image")]:
        urls += [
            f"/admin/autocomplete/?app_label=articles&model_name={app_model}"
            f"&field_name={field}&term={marker.split()[0]}"
            for marker in MARKERS
        ]
    return urls


@pytest.mark.parametrize("role", ["Reporter", "Ad operations"])
def test_no_text_of_anothers_draft_reaches_any_screen(client, newsroom, role):
    client.force_login(staff("someone", role))
    opened = 0
    for url in pages_of(client, role):
        response = client.get(url, follow=True)
        text = response.content.decode()
        leaked = [marker for marker in MARKERS if marker in text]
        assert not leaked, f"{role} reads {leaked} at {url}"
        opened += response.status_code == 200
    assert opened > 10  # the check looked at real pages, not only refusals


def test_an_editor_sees_the_draft_everywhere(client, newsroom):
    """The control: the same pages do show the texts to someone who may see the draft."""
    client.force_login(staff("someone", "Editor"))
    draft = newsroom["draft"]
    revision = draft.revisions.get()
    image = newsroom["objects"]["articles.image"]
    assert HEADLINE in client.get(admin_url("articles.revision", f"?q={HEADLINE}")).text
    page = client.get(admin_url("articles.revision", f"{revision.pk}/change/")).text
    assert HEADLINE in page and BODY in page
    assert ALT in client.get(admin_url("articles.image")).text
    assert CAPTION in client.get(admin_url("articles.image", f"{image.pk}/change/")).text
    assert HEADLINE in client.get(admin_url("articles.sponsoredblock")).text


def test_marker_check_is_not_blind(client, newsroom):
    """Guard for the leak test: the markers are on the pages it opens for editors."""
    client.force_login(staff("someone", "Editor"))
    seen = set()
    for url in pages_of(client, "Editor"):
        text = client.get(url, follow=True).content.decode()
        seen |= {marker for marker in MARKERS if marker in text}
    assert seen == set(MARKERS)
    assert Article.objects.filter(pk=newsroom["draft"].pk).exists()
    assert Revision.objects.filter(article=newsroom["draft"]).exists()


# Regressions of issue 13 -----------------------------------------------------------------


def test_a_reporter_cannot_read_an_editors_draft_through_revisions(client, newsroom):
    """Item 1: the revision list and page showed every snapshot of every draft."""
    reporter = staff("rita", "Reporter")
    own = make_own_draft(reporter, "Rita's harbour story", "Cranes idle at the harbour")
    client.force_login(reporter)

    draft = newsroom["draft"]
    listing = client.get("/admin/articles/revision/?q=Quillfeather")
    assert listing.status_code == 200
    assert draft.pk not in [r.article_id for r in listing.context["cl"].result_list]
    assert HEADLINE not in listing.text

    revision = draft.revisions.get()
    page = client.get(f"/admin/articles/revision/{revision.pk}/change/", follow=True)
    assert page.redirect_chain[-1][0] == "/admin/"
    assert HEADLINE not in page.text and BODY not in page.text

    # Their own story's history is still theirs to read.
    mine = client.get("/admin/articles/revision/")
    assert [r.article_id for r in mine.context["cl"].result_list] == [own.pk]
    page = client.get(f"/admin/articles/revision/{own.revisions.get().pk}/change/")
    assert page.status_code == 200 and "Cranes idle at the harbour" in page.text


def make_own_draft(user, headline: str, text: str, image=None) -> Article:
    section = Article.objects.first().section
    article = Article.objects.create(
        headline=headline, slug=headline.lower().replace(" ", "-").replace("'", ""),
        section=section, status="draft", created_by=user,
    )  # fmt: skip
    Block.objects.create(article=article, position=0, type="paragraph", text=text)
    if image is not None:
        Block.objects.create(article=article, position=1, type="image", image=image)
    record_revision(article, by=user, message="Created")
    return article


@pytest.mark.parametrize("role", ["Reporter", "Ad operations"])
def test_images_of_others_drafts_are_not_listed(client, newsroom, make_article, role):
    """Item 10: reporters and ad ops listed every image, alt text and caption included."""
    user = staff("someone", role)
    published = make_article("published")
    public = Image.objects.create(file=png_upload(), alt_text="Crowd at the opening")
    Block.objects.create(article=published, position=5, type="image", image=public)
    Image.objects.create(file=png_upload(), alt_text="Logo waiting for a sponsor")
    own = Image.objects.create(file=png_upload(), alt_text="Own photo of the quay")
    # The same story, the viewer's own when they are a reporter; someone else's otherwise.
    owner = user if role == "Reporter" else staff("otto", "Reporter")
    make_own_draft(owner, "Quay story", "The quay reopens", image=own)
    client.force_login(user)

    listing = client.get("/admin/articles/image/")
    shown = {image.alt_text for image in listing.context["cl"].result_list}
    assert ALT not in listing.text and ALT not in shown
    assert {"Crowd at the opening", "Logo waiting for a sponsor"} <= shown
    assert ("Own photo of the quay" in shown) == (role == "Reporter")
    search = client.get(f"/admin/articles/image/?q={CAPTION.split()[0]}")
    assert list(search.context["cl"].result_list) == []
    image = newsroom["objects"]["articles.image"]
    page = client.get(f"/admin/articles/image/{image.pk}/change/", follow=True)
    assert ALT not in page.text and CAPTION not in page.text


def test_the_image_picker_offers_a_reporter_only_images_they_may_see(client, newsroom):
    """Item 10, through the block image picker of the article screen."""
    reporter = staff("rita", "Reporter")
    own = Image.objects.create(file=png_upload(), alt_text="Vermilion quay at dawn")
    make_own_draft(reporter, "Quay story", "The quay reopens", image=own)
    client.force_login(reporter)
    picker = client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "block", "field_name": "image", "term": "Vermil"},
    )
    assert picker.status_code == 200
    assert [item["text"] for item in picker.json()["results"]] == ["Vermilion quay at dawn"]


def editor_with_a_full_article(newsroom):
    """The draft, given the rest an article carries: bylines, corrections, audit entries."""
    draft = newsroom["draft"]
    bump_version(draft)
    record_revision(draft, by=newsroom["editor"], message="Second version")
    AuditEntry.objects.create(action="submit", article=draft, message="Submitted")
    assert draft.revisions.count() == 2 and draft.blocks.count() == 2
    assert draft.entity_links.exists() and draft.audit.exists()
    return draft


def test_an_editor_deletes_an_article_with_its_history(client, newsroom):
    """Item 12: the delete confirmation answered 403 (revisions lacked a delete permission)."""
    draft = editor_with_a_full_article(newsroom)
    client.force_login(staff("dora", "Editor"))
    url = f"/admin/articles/article/{draft.pk}/delete/"
    confirm = client.get(url)
    assert confirm.status_code == 200 and not confirm.context["perms_lacking"]

    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=draft.pk).exists()
    assert not Revision.objects.filter(article_id=draft.pk).exists()
    assert not Block.objects.filter(article_id=draft.pk).exists()
    assert not ArticleEntity.objects.filter(article_id=draft.pk).exists()
    # The audit log outlives the article it was about.
    assert AuditEntry.objects.filter(message="Submitted").exists()


def test_an_editor_deletes_articles_in_bulk(client, newsroom, make_article):
    """Item 12, through the list's "Delete selected" action."""
    draft = editor_with_a_full_article(newsroom)
    other = make_article("published")
    record_revision(other, message="Created")
    client.force_login(staff("dora", "Editor"))
    data = {"action": "delete_selected", "_selected_action": [draft.pk, other.pk]}
    confirm = client.post("/admin/articles/article/", data)
    assert confirm.status_code == 200 and not confirm.context["perms_lacking"]

    response = client.post("/admin/articles/article/", data | {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk__in=[draft.pk, other.pk]).exists()
    assert not Revision.objects.filter(article_id__in=[draft.pk, other.pk]).exists()


@pytest.mark.parametrize("role", ["Editor", "superuser"])
def test_nobody_deletes_a_revision_on_its_own(client, newsroom, role):
    """History goes only with its article: the role table gives no one revision deletion."""
    user = User.objects.create_superuser("root") if role == "superuser" else staff("x", role)
    client.force_login(user)
    revision = newsroom["draft"].revisions.get()
    url = f"/admin/articles/revision/{revision.pk}/delete/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Revision.objects.filter(pk=revision.pk).exists()
