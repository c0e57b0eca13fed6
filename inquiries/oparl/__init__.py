"""OParl 1.1 (https://oparl.org) for the portal's inquiries, people and organisations.

``selectors`` builds the querysets, ``serializers`` turns rows into OParl object
dicts, ``pagination`` pages the external object lists, ``views`` and ``urls``
serve them under ``/oparl/v1/``.
"""
