from django.urls import path

from inquiries.alerts import views

app_name = "alerts"

urlpatterns = [
    path("abonnieren/", views.SubscribeView.as_view(), name="subscribe"),
    path("abonnieren/gesendet/", views.SubscribeSentView.as_view(), name="subscribe-sent"),
    path("bestaetigen/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path("abbestellen/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    # RFC 8058: mail programs POST here without a form (List-Unsubscribe-Post).
    path("abbestellen/<str:token>/sofort/", views.one_click_unsubscribe, name="unsubscribe-one-click"),
]
