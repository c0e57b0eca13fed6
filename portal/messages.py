"""Django's messages middleware with the request's message storage made when first used.

Django's ``MessageMiddleware`` makes the storage for every request (settings' storage class
imported, a cookie signer built with its keys, the session's storage beside it): ~0.06–0.1 ms
of CPU, on every page, API response and robots.txt, while only the admin and the alerts'
forms ever add or show a message. Here ``request._messages`` is the same storage, made on
first use; a request that never touched it has nothing to store, just as Django's ``update``
stores nothing when no message was read or added, so its response is the same.
"""

from __future__ import annotations

from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty


class LazyMessageMiddleware(MessageMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        messages = request.__dict__.get("_messages")
        if type(messages) is SimpleLazyObject and messages._wrapped is empty:
            return response  # never read nor added to: nothing to store
        return super().process_response(request, response)
