"""A reference web service over sozialraumprozess (FastAPI + uvicorn).

Start it with ``uvicorn --factory sozialraum_web.app:create_app``; see
``examples/webservice/README.md``.
"""
