from django.urls import path

from inquiries import feeds, table_views, views

app_name = "inquiries"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("anfragen/", views.InquiryListView.as_view(), name="inquiry-list"),
    path("anfragen/vorschlaege/", views.name_suggestions, name="name-suggestions"),
    path("<str:parliament>/drucksache/<str:reference>/", views.InquiryDetailView.as_view(), name="inquiry-detail"),
    path(
        "<str:parliament>/drucksache/<str:reference>/frage-<str:number>/tabelle-<int:position>.csv",
        table_views.answer_table_csv,
        name="answer-table-csv",
    ),
    path("personen/", views.PersonIndexView.as_view(), name="person-index"),
    path("personen/<slug:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("fraktionen/", views.FactionIndexView.as_view(), name="faction-index"),
    path("<str:parliament>/fraktionen/<slug:slug>/", views.FactionDetailView.as_view(), name="faction-detail"),
    path("ministerien/", views.MinistryIndexView.as_view(), name="ministry-index"),
    path("<str:parliament>/ministerien/<slug:slug>/", views.MinistryDetailView.as_view(), name="ministry-detail"),
    path("statistik/", views.StatisticsView.as_view(), name="statistics"),
    path("offene-daten/", views.OpenDataView.as_view(), name="open-data"),
    path("offene-daten/<str:name>", views.dump_download, name="open-data-dump"),
    # Atom feeds
    path("anfragen/feed/", feeds.search_feed, name="inquiry-feed"),
    path("personen/<slug:slug>/feed/", feeds.person_feed, name="person-feed"),
    path("<str:parliament>/fraktionen/<slug:slug>/feed/", feeds.faction_feed, name="faction-feed"),
    path("<str:parliament>/ministerien/<slug:slug>/feed/", feeds.ministry_feed, name="ministry-feed"),
]
