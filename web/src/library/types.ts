/** The media API's shapes, as far as the dashboard reads them (ImageKit's field names). */
export interface FileRecord {
  type: 'file';
  fileId: string;
  name: string;
  filePath: string;
  url: string;
  thumbnail?: string;
  thumbnailUrl?: string;
  fileType: string;
  mime?: string;
  width?: number;
  height?: number;
  size: number;
  tags: string[] | null;
  customMetadata?: Record<string, unknown>;
  isPrivateFile: boolean;
  isPublished?: boolean;
  createdAt: string;
  updatedAt: string;
  versionInfo?: { id: string; name: string };
}

export interface FolderRecord {
  type: 'folder';
  name: string;
  folderPath: string;
  folderId: string;
}

export const thumbnailOf = (file: FileRecord) => file.thumbnailUrl ?? file.thumbnail ?? file.url;
