"""The portal's pages. ``urlpatterns`` (mounted at ``publikasi/``) are the Inspectorate's
publishing pages; ``public_patterns`` (mounted at the root, under
``settings.PUBLIC_PATH_PREFIXES``) are the pages anyone may read. The portal's home is also the
site's ``/`` for visitors who are not signed in (``core.extensions.register_public_home``)."""

from django.urls import path, register_converter

from integritas.portal.views import (
    assessments,
    data,
    events,
    feedback,
    gratification,
    lhkpn,
    public,
    staff,
)


class DatasetConverter:
    """A dataset's slug: letters, digits, "-", "_" and "." (unit codes have dots)."""

    regex = r"[\w.-]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class FormatConverter(DatasetConverter):
    regex = "csv|xlsx|json"


register_converter(DatasetConverter, "dataset")
register_converter(FormatConverter, "dataformat")

urlpatterns = [
    path("<str:kind>/<str:ref>/", staff.publication, name="portal-publication"),
    path("<str:kind>/<str:ref>/pratinjau/", staff.preview, name="portal-preview"),
]

public_patterns = [
    path("robots.txt", public.robots_txt, name="portal-robots"),
    path("sitemap.xml", public.sitemap_xml, name="portal-sitemap"),
    path("publik/", public.home, name="portal-home"),
    path("tindak-lanjut/", public.tracker, name="portal-tracker"),
    path("tindak-lanjut/<str:code>/", public.recommendation, name="portal-recommendation"),
    path("tindak-lanjut/<str:code>/<str:unit>/", feedback.plan, name="portal-plan"),
    path(
        "tindak-lanjut/tanggapan/<uuid:public_id>/foto/",
        feedback.feedback_photo,
        name="portal-feedback-photo",
    ),
    path("bukti/<uuid:public_id>/", public.evidence_file, name="portal-evidence"),
    path("unit/<str:code>/", public.unit, name="portal-unit"),
    path("hasil-survei/", public.waves, name="portal-waves"),
    path("hasil-survei/<str:code>/", public.wave, name="portal-wave"),
    path("publik/<int:year>/", data.year, name="portal-year"),
    path("statistik-pengaduan/", data.complaint_statistics, name="portal-complaint-statistics"),
    path(
        "statistik-gratifikasi/",
        gratification.statistics,
        name="portal-gratification-statistics",
    ),
    path("kepatuhan-lhkpn/", lhkpn.compliance, name="portal-lhkpn-compliance"),
    path("hasil-penilaian/", assessments.results, name="portal-assessments"),
    path("kegiatan/", events.event_list, name="portal-events"),
    path("kegiatan/sertifikat/", events.certificate_lookup, name="portal-certificate-lookup"),
    path("kegiatan/<slug:code>/", events.event_detail, name="portal-event"),
    path("data/", data.catalogue, name="portal-data"),
    path("data/catalog.jsonld", data.catalog_jsonld, name="portal-data-catalog"),
    path("data/feed.atom", data.atom_feed, name="portal-feed"),
    path("data/<dataset:slug>.<dataformat:fmt>", data.data_file, name="portal-data-file"),
]
