# The nbdev template's setup.py: every setting lives in settings.ini; edit there, not here.
import shlex
from configparser import ConfigParser

import setuptools

config = ConfigParser(delimiters=['='])
config.read('settings.ini', encoding='utf-8')
cfg = config['DEFAULT']

expected = ('version description keywords author author_email lib_name lib_path user license status '
            'min_python audience language git_url').split()
missing = [o for o in expected if o not in cfg]
assert not missing, f'settings.ini is missing: {missing}'

# SPDX expressions: setuptools deprecates the 'License ::' classifiers in their favour.
licenses = {'apache2': 'Apache-2.0'}
statuses = ['0 - Pre-Planning', '1 - Planning', '2 - Pre-Alpha', '3 - Alpha',
            '4 - Beta', '5 - Production/Stable', '6 - Mature', '7 - Inactive']
py_versions = '3.10 3.11 3.12 3.13'.split()
lic = licenses[cfg['license'].lower()]

setuptools.setup(
    name=cfg['lib_name'],
    version=cfg['version'],
    description=cfg['description'],
    keywords=cfg['keywords'],
    author=cfg['author'],
    author_email=cfg['author_email'],
    license=lic,
    license_files=['LICENSE'],
    classifiers=['Development Status :: ' + statuses[int(cfg['status'])],
                 'Intended Audience :: ' + cfg['audience'],
                 'Natural Language :: ' + cfg['language']]
                + ['Programming Language :: Python :: ' + o for o in py_versions[py_versions.index(cfg['min_python']):]],
    url=cfg['git_url'],
    # The data folders (nlae/corpus, nlae/nlas, nlae/recipes) have no __init__.py; finding namespace
    # packages makes them packages, so their files (listed in MANIFEST.in) are package data, not
    # "absent from the packages configuration" (setuptools' BuildBackendWarning).
    packages=setuptools.find_namespace_packages(include=[cfg['lib_path'], cfg['lib_path'] + '.*'],
                                                exclude=['*.__pycache__']),
    include_package_data=True,
    install_requires=shlex.split(cfg.get('requirements', '')),
    extras_require={'dev': shlex.split(cfg.get('dev_requirements', ''))},
    python_requires='>=' + cfg['min_python'],
    long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown',
    zip_safe=False,
    entry_points={'console_scripts': cfg.get('console_scripts', '').split(),
                  'nbdev': [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"]},
    project_urls={'Documentation': cfg['doc_host'] + cfg['doc_baseurl']},
)
