"""Popolo (https://www.popoloproject.com) export of people, organisations and memberships.

``selectors`` reads, ``serializers`` turns rows into Popolo objects, ``export``
assembles the documents that ``views`` serve under ``/popolo/v1/`` and the
``export_popolo`` command writes to a file.
"""
